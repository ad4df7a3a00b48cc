/**
 * Inbound connection limits of the Node server, on a real server and real sockets: a body
 * trickled byte by byte is cut at the request timeout, idle connections from one client are
 * capped and then closed, and another client is still served meanwhile. Judged by what the
 * sockets see (closed or not, counts), with bounds far above the configured timeouts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../config/load-config.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { createLogger } from './logger.ts';
import { startNodeServer, type RunningServer } from './start-node-server.ts';
import { waitFor } from '../../../test/support/wait-for.ts';

const LIMITS = ['server:', '  maxConnections: 40', '  maxConnectionsPerClient: 20', '  headersTimeout: 1s', '  requestTimeout: 2s', '  keepAliveTimeout: 1s'];

function healthz(port: number, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', localAddress: from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.resume(); // read, so the server's FIN is seen (a paused socket may never notice it)
    socket.on('error', () => {}); // a socket the server drops may reset
    socket.once('error', reject);
  });
}

describe('inbound connection limits (real server)', () => {
  let dir: string;
  let store: EmbeddedStore;
  let server: RunningServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-inbound-'));
    const config = parseConfig([...LIMITS, 'checks: []'].join('\n'), join(dir, 'upstate.yaml'), { env: {} });
    store = createSqliteStore({ path: join(dir, 'upstate.db') });
    await store.migrate();
    server = await startNodeServer({ config, store, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await server.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts a client that trickles its body at the request timeout', async () => {
    const socket = await open(server.port);
    socket.write('POST /api/v1/push/some-token-000000000000000000 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n');
    const started = performance.now();
    const trickle = setInterval(() => socket.writable && socket.write('a'), 200);
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    const closed = await new Promise<boolean>((resolve) => {
      const giveUp = setTimeout(() => resolve(false), 20_000);
      socket.once('close', () => {
        clearTimeout(giveUp);
        resolve(true);
      });
    });
    clearInterval(trickle);
    const seconds = (performance.now() - started) / 1000;
    console.log(`slow body: ${closed ? `cut after ${seconds.toFixed(1)} s` : `still open after ${seconds.toFixed(1)} s`} (requestTimeout 2 s)`);
    socket.destroy();
    assert.ok(closed, 'the server must close a request whose body never finishes');
    assert.ok(seconds < 15, `cut after ${seconds.toFixed(1)} s`);
    assert.match(reply, /^HTTP\/1\.1 408/, 'answered 408 Request Timeout');
  });

  it('caps one client’s idle connections, still serves another client, then closes the idle ones', async () => {
    const sockets = await Promise.all(Array.from({ length: 150 }, () => open(server.port).catch(() => undefined)));
    const held = sockets.filter((s): s is Socket => s !== undefined);
    const openCount = () => held.filter((s) => !s.destroyed && !s.readableEnded).length;
    const closes = held.map((s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve()))));
    // the server drops the connections over the cap as soon as it accepts them
    await waitFor('the cap', () => openCount() <= 20 || undefined, 10_000).catch(() => {});
    const capped = openCount();
    console.log(`idle flood: ${capped} of 150 connections from one client held open (cap 20 per client, 40 in all)`);
    assert.ok(capped <= 20, `${capped} held`);
    assert.equal(await healthz(server.port, '127.0.0.2'), 200, 'another client is served');
    // and the held ones are closed once the headers timeout passes
    const waited = performance.now();
    const allClosed = await Promise.race([Promise.all(closes).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    console.log(`idle flood: ${allClosed ? `all closed ${((performance.now() - waited) / 1000).toFixed(1)} s later` : `${openCount()} still open after 15 s`} (headersTimeout 1 s)`);
    for (const s of held) s.destroy();
    assert.ok(allClosed, 'idle connections that never send a request are closed');
  });
});
