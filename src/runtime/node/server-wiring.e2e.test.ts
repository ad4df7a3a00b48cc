/**
 * The embedded server as `upstate serve` assembles it, checked through its HTTP surface: config
 * incidents reach the Statuspage API, maintenance windows show on the page model, heartbeat
 * pushes change a check's status, and /metrics counts real results and scheduler lag.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../config/load-config.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { createLogger } from './logger.ts';
import { startNodeServer, type RunningServer } from './start-node-server.ts';
import type { StatusModel } from '../../status/status-model.ts';
import { waitFor } from '../../../test/support/wait-for.ts';
import { openTestStore } from '../../../test/support/http-fixture.ts';

const PUSH_TOKEN = 'a-long-random-push-token-for-the-nightly-job-0123456789';


describe('embedded server wiring', () => {
  let dir: string;
  let target: Server;
  let store: EmbeddedStore;
  let server: RunningServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-wiring-'));
    target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    const now = Date.now();
    const config = parseConfig(
      [
        'checks:',
        `  - name: web\n    interval: 1s\n    timeout: 900ms\n    http: { url: "${url}" }`,
        `  - name: db\n    interval: 1s\n    timeout: 900ms\n    tcp: { host: 127.0.0.1, port: ${(target.address() as AddressInfo).port} }`,
        `  - name: nightly\n    interval: 1s\n    timeout: 900ms\n    heartbeat: { period: 1h, grace: 1m, token: "${PUSH_TOKEN}" }`,
        'maintenance:',
        `  - name: db-upgrade\n    checks: [db]\n    start: ${new Date(now - 60_000).toISOString()}\n    end: ${new Date(now + 3_600_000).toISOString()}`,
        'incidents:',
        `  - id: cdn-2026\n    title: CDN errors in Europe\n    status: identified\n    impact: minor\n    checks: [web]\n    at: ${new Date(now - 600_000).toISOString()}\n    body: A CDN node is failing.`,
      ].join('\n'),
      join(dir, 'upstate.yaml'),
      { env: {} },
    );
    store = createSqliteStore({ path: join(dir, 'upstate.db') });
    await store.migrate();
    server = await startNodeServer({ config, store, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await server.stop();
    await store.close();
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes config incidents through the Statuspage API', async () => {
    const body = (await (await fetch(`${server.url}/api/v2/incidents/unresolved.json`)).json()) as { incidents: { name: string; status: string }[] };
    assert.deepEqual(body.incidents.map((i) => [i.name, i.status]), [['CDN errors in Europe', 'identified']]);
  });

  it('shows a check inside a maintenance window as maintenance', async () => {
    const model = await waitFor('results', async () => {
      const m = (await (await fetch(`${server.url}/api/v1/status`)).json()) as StatusModel;
      return m.components.find((c) => c.name === 'web')?.status === 'up' ? m : undefined;
    });
    assert.equal(model.components.find((c) => c.name === 'db')?.status, 'maintenance');
    const raw = await store.readRecentResults('db', { limit: 1 });
    assert.equal(raw[0]?.inMaintenance, true, 'results inside the window are flagged (and so not counted in uptime)');
  });

  it('takes heartbeat pushes: a failed ping turns the check down, a good one up again', async () => {
    const statusOf = async () =>
      ((await (await fetch(`${server.url}/api/v1/status`)).json()) as StatusModel).components.find((c) => c.name === 'nightly')?.status;
    const failed = await fetch(`${server.url}/api/v1/push/${PUSH_TOKEN}?status=fail&msg=exit%201`, { method: 'POST' });
    assert.equal(failed.status, 200);
    assert.equal((await fetch(`${server.url}/api/v1/push/not-the-token`)).status, 404);
    assert.equal((await store.readLastHeartbeat('nightly'))?.ok, false);
    await waitFor('the heartbeat check to be down', async () => ((await statusOf()) === 'down' ? true : undefined));
    assert.equal((await fetch(`${server.url}/api/v1/push/${PUSH_TOKEN}`)).status, 200);
    await waitFor('the heartbeat check to be up', async () => ((await statusOf()) === 'up' ? true : undefined));
  });

  it('exposes real results and scheduler lag on /metrics', async () => {
    const text = await waitFor('metrics with results', async () => {
      const t = await (await fetch(`${server.url}/metrics`)).text();
      return /upstate_check_results_total\{[^}]*check="web"[^}]*\} [1-9]/.test(t) ? t : undefined;
    });
    assert.match(text, /# TYPE upstate_scheduler_lag_seconds histogram/);
    assert.match(text, /upstate_scheduler_lag_seconds_count [1-9]/);
    assert.match(text, /upstate_check_up\{check="web"\} 1/);
  });
});

describe('embedded server start-up', () => {
  it('reads every state from the store once at start, for the page, the alert evaluator and the state authority together', async () => {
    const { store, cleanup } = await openTestStore();
    try {
      const at = Date.now() - 60_000;
      await store.recordResults({ results: [], states: [{ check: 'api', status: 'up', since: at, streak: 0, lastResult: { check: 'api', at, status: 'up', latencyMs: 1 } }] });
      const fullReads: number[] = [];
      const counted: EmbeddedStore = { ...store, readStates: (wanted) => (wanted || fullReads.push(1), store.readStates(wanted)) };
      // a port nothing listens on: the check's runs fail, which does not matter here
      const config = parseConfig('checks:\n  - name: api\n    interval: 1h\n    tcp: { host: 127.0.0.1, port: 9 }\n', 'upstate.yaml', { env: {} });
      const server = await startNodeServer({ config, store: counted, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
      await server.stop();
      // three before (the page's live invalidation, the alert evaluator, the state authority): at
      // 100,000 checks, a set of state objects each, held side by side until the checks ran again
      assert.equal(fullReads.length, 1);
    } finally {
      await cleanup();
    }
  });
});
