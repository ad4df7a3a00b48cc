/**
 * Remote probe agents as separate processes: a server (`upstate serve`, PostgreSQL store) runs
 * the `local` region of a three-region check, two `upstate agent` processes run `eu-west` and
 * `us-east`. Each process has its own view of the network (testing/region-hosts.preload.ts), so one
 * region can lose the target while the others still reach it. Agents reach the server through a
 * TCP proxy the test can cut.
 *
 * - 1 of 3 regions down → the check is up (regions show who saw what);
 * - 2 of 3 regions down → the check is down;
 * - an agent cut off from the server — and restarted meanwhile — delivers its buffer on
 *   reconnection, with the results' original timestamps;
 * - a revoked token is refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { createPostgresStore } from '../storage/postgres/postgres-store.ts';
import type { Store } from '../storage/store.ts';
import type { CheckState } from '../domain/status.ts';
import { startCli, type CliProcess } from '../../test/support/spawn-cli.ts';

const INTERVAL = 2000;
const PRELOAD = join(import.meta.dirname, '../../test/support/region-hosts.preload.ts');
const HOST = 'svc.upstate.test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** A TCP proxy the test can cut: while cut, every connection is dropped at once. */
async function startProxy(): Promise<{ port: number; upstream: number; cut: boolean; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, upstream: 0, cut: false, close: async () => {} };
  const server: TcpServer = createTcpServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (state.cut || !state.upstream) return void client.destroy();
    const upstream = connect(state.upstream, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return new Proxy(state, {
    set(target, key, value) {
      (target as Record<string | symbol, unknown>)[key] = value;
      if (key === 'cut' && value) for (const socket of sockets) socket.destroy();
      return true;
    },
  });
}

describe('remote probe agents (processes)', () => {
  let pg: EmbeddedPostgres;
  let dir: string;
  let store: Store;
  let target: Server;
  let targetPort: number;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let hostsFile: string;
  let config: string;
  let server: CliProcess;
  const agents = new Map<string, CliProcess>();
  const tokens = new Map<string, string>();

  const setHosts = (down: string[]) => {
    const view = (region: string) => ({ [HOST]: down.includes(region) ? '127.0.0.2' : '127.0.0.1' });
    writeFileSync(hostsFile, JSON.stringify({ local: view('local'), 'eu-west': view('eu-west'), 'us-east': view('us-east') }));
  };
  const stateOf = async (): Promise<CheckState | undefined> => (await store.readStates()).find((s) => s.check === 'api');
  const startAgent = (region: string) =>
    startCli(
      ['agent', '--server', `http://127.0.0.1:${proxy.port}`, '--token', tokens.get(region)!, '--region', region, '--buffer', join(dir, `buffer-${region}`)],
      { UPSTATE_TEST_HOSTS_FILE: hostsFile, UPSTATE_TEST_REGION: region },
      ['--import', PRELOAD],
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-agents-'));
    hostsFile = join(dir, 'hosts.json');
    setHosts([]);
    pg = await startEmbeddedPostgres();
    store = createPostgresStore({ url: pg.url });
    await store.migrate();
    target = createHttpServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as AddressInfo).port;
    proxy = await startProxy();
    config = join(dir, 'upstate.yaml');
    writeFileSync(
      config,
      [
        'checks:',
        '  - name: api',
        `    interval: 2s\n    timeout: 1s\n    regions: [local, eu-west, us-east]\n    quorum: 2`,
        `    http: { url: "http://${HOST}:${targetPort}/" }`,
      ].join('\n'),
    );
  });

  after(async () => {
    await Promise.all([...agents.values()].map((agent) => agent.stop(3000)));
    await server?.stop(3000);
    await proxy.close();
    await new Promise((resolve) => target.close(resolve));
    await store.close();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds agent tokens with the CLI', async () => {
    for (const region of ['eu-west', 'us-east']) {
      const cli = startCli(['agents', 'add', `${region}-1`, '--region', region, '--config', config, '--store', pg.url]);
      assert.equal(await cli.exited, 0, cli.output());
      tokens.set(region, await cli.waitForOutput(/^\s+(upa_[A-Za-z0-9_-]+)$/m));
    }
    const credentials = await store.listCredentials('agent');
    assert.deepEqual(credentials.map((c) => c.subject).sort(), ['eu-west-1/eu-west', 'us-east-1/us-east']);
    assert.ok(credentials.every((c) => /^[0-9a-f]{64}$/.test(c.hash) && !c.hash.includes(tokens.get('eu-west')!)), 'only hashes are stored');
  });

  it('stays up when 1 of 3 regions sees the target down, goes down at 2 of 3', async () => {
    server = startCli(
      ['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--mode', 'cluster', '--store', pg.url],
      { UPSTATE_TEST_HOSTS_FILE: hostsFile, UPSTATE_TEST_REGION: 'local' },
      ['--import', PRELOAD],
    );
    proxy.upstream = Number(/:(\d+)$/.exec(await server.waitForOutput(/"url":"(http:[^"]+)"/))![1]);
    setHosts(['us-east']);
    for (const region of ['eu-west', 'us-east']) agents.set(region, startAgent(region));

    const oneDown = await waitFor('all three regions to report', async () => {
      const state = await stateOf();
      const r = state?.regions;
      return r?.local?.status === 'up' && r['eu-west']?.status === 'up' && r['us-east']?.status === 'down' ? state : undefined;
    }, 30_000);
    assert.equal(oneDown.status, 'up', '1 of 3 regions down is below the quorum of 2');
    assert.equal(oneDown.regions!['us-east'].failure?.class, 'refused');
    assert.ok(oneDown.regions!['eu-west'].latencyMs !== undefined);

    setHosts(['us-east', 'eu-west']);
    const twoDown = await waitFor('the check to go down', async () => {
      const state = await stateOf();
      return state?.status === 'down' ? state : undefined;
    });
    assert.equal(twoDown.regions!['eu-west'].status, 'down');
    assert.equal(twoDown.regions!['us-east'].status, 'down');
    assert.notEqual(twoDown.regions!.local.status, 'down');

    setHosts([]);
    await waitFor('the check to recover', async () => ((await stateOf())?.status === 'up' ? true : undefined));
  });

  it('delivers results buffered while cut off (across an agent restart) with their original timestamps', async () => {
    const regionResults = async (from: number, to: number) =>
      (await store.readResults('api', from, to)).filter((r) => r.region === 'eu-west');
    proxy.cut = true;
    const cutAt = Date.now();
    await sleep(2 * INTERVAL);
    // restart the agent while it cannot reach the server: its buffer is on disk
    const first = agents.get('eu-west')!;
    await first.stop(8000);
    agents.set('eu-west', startAgent('eu-west'));
    await agents.get('eu-west')!.waitForOutput(/agent checks scheduled|cached check list/, 20_000);
    await sleep(2 * INTERVAL);
    const restoredAt = Date.now();
    // nothing produced during the cut has arrived yet (a run started just before the cut may)
    assert.equal((await regionResults(cutAt + 1500, restoredAt)).length, 0);

    proxy.cut = false;
    const delivered = await waitFor('buffered results to arrive', async () => {
      const rows = await regionResults(cutAt + 1500, restoredAt);
      return rows.length >= 3 ? rows : undefined;
    }, 20_000);
    const times = delivered.map((r) => r.at);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in order');
    assert.equal(new Set(times).size, times.length, 'no duplicates');
    assert.ok(times.every((at) => at > cutAt && at < restoredAt), 'original probe times, not arrival times');
    // both runs of the agent contributed: before and after its restart
    assert.ok(agents.get('eu-west')!.output().match(/buffered results from an earlier run/), 'the restarted agent found its buffer');
  });

  it('refuses a revoked token', async () => {
    const url = `http://127.0.0.1:${proxy.upstream}/api/v1/agent/checks`;
    const ask = () => fetch(url, { headers: { authorization: `Bearer ${tokens.get('us-east')}` } });
    const before = await ask();
    assert.equal(before.status, 200);
    const body = (await before.json()) as { region: string; checks: { name: string }[] };
    assert.equal(body.region, 'us-east');
    assert.deepEqual(body.checks.map((c) => c.name), ['api']);
    const cli = startCli(['agents', 'revoke', 'us-east-1', '--config', config, '--store', pg.url]);
    assert.equal(await cli.exited, 0, cli.output());
    assert.equal((await ask()).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer upa_nonsense' } })).status, 401);
  });
});
