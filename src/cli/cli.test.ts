import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { main } from './main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** A port nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('upstate CLI', () => {
  let dir: string;
  let target: Server;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-cli-'));
    target = createServer((req, res) => {
      if (req.url === '/ok') res.end('all good');
      else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('validate exits 0 for a valid file', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, `checks:\n  - name: ok\n    http: { url: "${base}/ok" }\n`);
    const { io, out } = capture();
    assert.equal(await main(['validate', '--config', file], io), 0);
    assert.match(out.join('\n'), /OK — 1 check/);
  });

  it('validate exits 2 and prints every error with file and line', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'checks:\n  - name: a\n    http: { url: "nope" }\n  - name: b\n    tcp: { host: x, port: 0, extra: 1 }\n');
    const { io, err } = capture();
    assert.equal(await main(['validate', '--config', file], io), 2);
    const text = err.join('\n');
    assert.match(text, /bad\.yaml:3 checks\[0\]\.http\.url: /);
    assert.match(text, /bad\.yaml:5 checks\[1\]\.tcp\.extra: unknown key/);
    assert.match(text, /errors? in .*bad\.yaml; nothing was started/);
  });

  it('check prints a table and exits 1 when a check is down', async () => {
    const port = await closedPort();
    const file = join(dir, 'mixed.yaml');
    writeFileSync(
      file,
      [
        'checks:',
        `  - name: healthy\n    http: { url: "${base}/ok" }`,
        `  - name: failing\n    http: { url: "${base}/error" }`,
        `  - name: closed\n    timeout: 2s\n    tcp: { host: 127.0.0.1, port: ${port} }`,
      ].join('\n'),
    );
    const { io, out } = capture();
    assert.equal(await main(['check', '--config', file], io), 1);
    const table = out.join('\n');
    assert.match(table, /^NAME\s+STATUS\s+LATENCY\s+REASON/m);
    assert.match(table, /^healthy\s+up\s+\d+ ms\s*$/m);
    assert.match(table, /^failing\s+down\s+\d+ ms\s+status: .*500/m);
    assert.match(table, /^closed\s+down\s+\d+ ms\s+refused: /m);
    assert.match(table, /3 checks, 2 down/);
  });

  it('check exits 0 when everything is up, and supports --json', async () => {
    const file = join(dir, 'up.yaml');
    writeFileSync(file, `checks:\n  - name: healthy\n    http: { url: "${base}/ok" }\n`);
    const { io, out } = capture();
    assert.equal(await main(['check', '--config', file, '--json'], io), 0);
    assert.equal(JSON.parse(out.join('\n'))[0].status, 'up');
  });

  it('rejects unknown commands and options with usage and exit 2', async () => {
    const { io, err } = capture();
    assert.equal(await main(['frobnicate'], io), 2);
    assert.match(err.join('\n'), /unknown command "frobnicate"/);
    assert.equal(await main(['check', '--bogus'], capture().io), 2);
  });
});
