import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postBody, REPLY_CAP_BYTES } from './post-json.ts';
import { DeliveryError } from './notifier.ts';

const HUGE = 200 * 1024 * 1024;

describe('postBody reads a capped reply', () => {
  let server: Server;
  let url: string;
  let sent = 0;
  before(async () => {
    // answers 500 with a 200 MB body, written lazily under back-pressure, counting what the client took
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(HUGE) });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let closed = false;
        res.on('close', () => (closed = true));
        const pump = () => {
          while (!closed && sent < HUGE) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!closed) res.end();
        };
        pump();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a 200 MB reply to a 500 is read up to the cap, then the connection is dropped', async (t) => {
    const rssBefore = process.memoryUsage().rss;
    const error = await postBody(url, '{}', { signal: AbortSignal.timeout(60_000) }).then(
      () => assert.fail('a 500 must throw'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DeliveryError);
    assert.equal(error.retryable, true);
    assert.match(error.message, /^HTTP 500 from http:\/\/127\.0\.0\.1:\d+: x{200}$/);
    const grewMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    t.diagnostic(`receiver wrote ${(sent / 1024 / 1024).toFixed(1)} MB; RSS grew ${grewMb.toFixed(1)} MB`);
    // socket and stream buffers let some megabytes through before the close lands; never the whole body
    assert.ok(sent < 32 * 1024 * 1024, `the receiver wrote ${(sent / 1024 / 1024).toFixed(1)} MB (cap ${REPLY_CAP_BYTES / 1024} KiB); RSS grew ${grewMb.toFixed(1)} MB`);
  });
});
