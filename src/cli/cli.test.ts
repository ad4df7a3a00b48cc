import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { main } from './main.ts';
import { checkCommand } from './commands/check.ts';
import { probes } from '../probes/registry.ts';
import { throwingProbe } from '../../test/support/throwing-probe.ts';

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

  it('check shows a run that throws as an error row with its reason and exits 1', async () => {
    const broken = throwingProbe('broken', new TypeError('probe bug'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, `checks:\n  - name: buggy\n    broken: {}\n  - name: healthy\n    http: { url: "${base}/ok" }\n`);
    const { io, out } = capture();
    assert.equal(await checkCommand({ config: file, probes: { ...probes, broken } }, io), 1);
    const table = out.join('\n');
    assert.match(table, /^buggy\s+error\s+run failed: probe bug$/m);
    assert.match(table, /^healthy\s+up\s+\d+ ms\s*$/m);
    assert.match(table, /2 checks, 0 down, 1 failed to run/);
  });

  describe('serve: the mode is explicit and the store must fit it (exit 2 before anything is opened)', () => {
    const serve = async (args: string[], config = `checks:\n  - name: ok\n    http: { url: "${base}/ok" }\n`) => {
      const file = join(dir, 'serve.yaml');
      writeFileSync(file, config);
      const data = join(dir, 'serve-data');
      const { io, err } = capture();
      const code = await main(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1', '--data', data, ...args], io);
      return { code, err: err.join('\n'), opened: existsSync(data) };
    };

    it('refuses cluster mode on a SQLite store, naming both settings', async () => {
      const flag = await serve(['--mode', 'cluster']);
      assert.equal(flag.code, 2);
      assert.match(flag.err, /mode is cluster \(from --mode\) but no --store is given \(SQLite file .*upstate\.db\); cluster mode needs a postgres:\/\/ URL/);
      assert.equal(flag.opened, false, 'no store was created');
      const file = await serve(['--store', join(dir, 'x.db')], `mode: cluster\nchecks: []\n`);
      assert.equal(file.code, 2);
      assert.match(file.err, /mode is cluster \(`mode:` in serve\.yaml\) but --store is a SQLite file path/);
    });

    it('refuses a postgres:// store in embedded mode (never infers cluster from the URL)', async () => {
      const result = await serve(['--store', 'postgres://upstate@127.0.0.1:1/upstate']);
      assert.equal(result.code, 2);
      assert.match(result.err, /mode is embedded \(the default, or `mode:` in serve\.yaml\) but --store is a postgres:\/\/ URL/);
      assert.match(result.err, /set `mode: cluster` in the config or pass --mode cluster/);
    });

    it('refuses an unknown --mode and an unknown mode: key', async () => {
      const flag = await serve(['--mode', 'lambda']);
      assert.equal(flag.code, 2);
      assert.match(flag.err, /--mode must be one of embedded, cluster \(got "lambda"\)/);
      const key = await serve([], 'mode: clustered\nchecks: []\n');
      assert.equal(key.code, 2);
      assert.match(key.err, /serve\.yaml:1 mode: /);
    });
  });
});
