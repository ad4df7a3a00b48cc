/**
 * When Upstate's own process runs out of file descriptors, a check against a healthy target fails
 * with `connect EMFILE`. That is this host's fault, not the target's: it must never be stored as
 * `down`, never alert and never count in uptime. The real CLI runs under a low fd limit
 * (`prlimit --nofile`), and this test eats its descriptors with idle connections to its own
 * HTTP port, the way a careless or hostile client would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startProcess } from '../../test/support/spawn-cli.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';

const BIN = join(import.meta.dirname, '../cli/bin.ts');
/** The child's fd limit: room for Node, SQLite and a few checks, then the idle connections take the rest. */
const FD_LIMIT = 100;
const CHECKS = 6;

describe('local resource exhaustion (process)', () => {
  let dir: string;
  let target: Server;
  let targetUrl: string;
  const idle: Socket[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-fds-'));
    target = createServer((_req, res) => res.end('fine'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of idle) socket.destroy();
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('records no down for a healthy target while the process has no fds left', async (t) => {
    const config = join(dir, 'upstate.yaml');
    // every run opens its own connection (no keep-alive reuse), so each one needs a descriptor
    const checks = Array.from({ length: CHECKS }, (_, i) => `  - name: Healthy ${i}\n    interval: 1s\n    timeout: 1s\n    http: { url: "${targetUrl}/${i}", reuseConnection: false }`);
    // The connection caps (docs/security.md) would keep one client from reaching the fd limit; many
    // clients (or one NAT) can still get there, which is the case under test: caps out of the way.
    const server = ['server:', '  maxConnections: 100000', '  maxConnectionsPerClient: 100000'];
    writeFileSync(config, [...server, 'checks:', ...checks].join('\n'));
    const data = join(dir, 'data');
    const held = { from: 0, to: 0 };
    const cli = startProcess('prlimit', [`--nofile=${FD_LIMIT}:${FD_LIMIT}`, process.execPath, BIN, 'serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', data]);
    try {
      const base = await waitFor('the server to listen', async () => /"url":"(http:[^"]+)"/.exec(cli.output())?.[1], 60_000);
      await waitFor('every check to report up', async () => {
        const body = (await (await fetch(`${base}/api/v1/status`)).json()) as { components: { status: string }[] };
        return body.components.length === CHECKS && body.components.every((c) => c.status === 'up') ? true : undefined;
      }, 30_000);
      const { port } = new URL(base);
      held.from = Date.now();
      // more idle connections than the child has descriptors: it accepts until EMFILE. Node
      // sheds pending connections when accept fails, so each closed one is replaced while held.
      let budget = 3000;
      const hold = () => {
        if (held.to || budget-- <= 0) return;
        const socket = connect(Number(port), '127.0.0.1');
        socket.on('error', () => {});
        socket.on('close', () => setTimeout(hold, 20));
        idle.push(socket);
      };
      for (let i = 0; i < FD_LIMIT + 20; i++) hold();
      // several rounds of every check while starved of descriptors
      await new Promise((resolve) => setTimeout(resolve, 2000));
      t.diagnostic(`child fds while held: ${readdirSync(`/proc/${cli.child.pid}/fd`).length} of ${FD_LIMIT}`);
      await new Promise((resolve) => setTimeout(resolve, 6000));
      held.to = Date.now();
      for (const socket of idle.splice(0)) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.output().slice(-3000));
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cli.output().slice(-3000)}`, { cause: error });
    } finally {
      cli.child.kill('SIGKILL');
    }
    const log = cli.output();
    let emfile = (log.match(/EMFILE/g) ?? []).length;

    const store = createSqliteStore({ path: join(data, 'upstate.db') });
    try {
      let downs = 0;
      let total = 0;
      let duringHold = 0;
      for (let i = 0; i < CHECKS; i++) {
        const results = await store.readRecentResults(`Healthy ${i}`, { limit: 1000 });
        total += results.length;
        duringHold += results.filter((r) => r.at >= held.from && r.at <= held.to).length;
        const down = results.filter((r) => r.status === 'down');
        downs += down.length;
        emfile += down.filter((r) => r.failure?.message.includes('EMFILE')).length;
        for (const r of down.slice(0, 2)) t.diagnostic(`down: ${r.failure?.class} ${r.failure?.message}`);
      }
      t.diagnostic(`EMFILE seen (log lines + stored failures): ${emfile}`);
      const states = await store.readStates();
      t.diagnostic(`results stored: ${total} (${duringHold} while fds were held), down: ${downs}, states: ${states.map((s) => s.status).join(',')}`);
      assert.ok(emfile > 0, 'the child never ran out of descriptors: the test proved nothing');
      const firing = (log.match(/"kind":"firing"/g) ?? []).length;
      t.diagnostic(`alerts fired: ${firing}`);
      assert.equal(downs, 0, 'a local EMFILE was stored as the target being down');
      assert.equal(firing, 0, 'a local EMFILE fired an alert');
      assert.ok(states.every((s) => s.status === 'up'));
    } finally {
      await store.close();
    }
  });
});
