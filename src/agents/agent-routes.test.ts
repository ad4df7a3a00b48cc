/**
 * The agent API in process, on the embedded (SQLite) mode's engine: authentication, the checks an
 * agent receives, and ingest through confirmation + quorum into the stored state.
 */
import { describe, it, before, after } from 'node:test';
import { request } from 'node:http';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { loadConfig } from '../config/load-config.ts';
import type { UpstateConfig } from '../config/types.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { createEmbeddedMode } from '../modes/embedded-mode.ts';
import type { Engine } from '../engine/engine.ts';
import { probes } from '../probes/registry.ts';
import { systemClock } from '../kernel/clock.ts';
import type { CheckResult } from '../domain/result.ts';
import { createAgentRoutes } from './agent-routes.ts';
import { agentSubject, generateAgentToken, hashAgentToken } from './agent-token.ts';
import { createClientAddress } from '../http/client-address.ts';
import { startServer } from '../../test/support/http-fixture.ts';

describe('agent API (embedded mode)', () => {
  let dir: string;
  let store: EmbeddedStore;
  let config: UpstateConfig;
  let engine: Engine;
  let app: Hono<any>;
  const token = generateAgentToken();
  const other = generateAgentToken();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-agent-api-'));
    const file = join(dir, 'upstate.yaml');
    writeFileSync(
      file,
      [
        'checks:',
        '  - name: api\n    interval: 1m\n    regions: [local, eu-west, us-east]\n    quorum: 2\n    http: { url: "http://127.0.0.1:9/" }',
        '  - name: eu-only\n    interval: 1m\n    regions: [eu-west]\n    http: { url: "http://127.0.0.1:9/eu" }',
        '  - name: local-only\n    interval: 1m\n    http: { url: "http://127.0.0.1:9/local" }',
      ].join('\n'),
    );
    config = await loadConfig(file);
    store = createSqliteStore({ path: join(dir, 'upstate.db') });
    await store.migrate();
    await store.saveCredential({ scope: 'agent', subject: agentSubject({ name: 'probe-1', region: 'eu-west' }), hash: hashAgentToken(token), createdAt: 1 });
    await store.saveCredential({ scope: 'agent', subject: agentSubject({ name: 'probe-2', region: 'us-east' }), hash: hashAgentToken(other), createdAt: 1 });
    // no start(): the scheduler would probe; ingest only needs a store writer on the bus
    const bus = createResultBus();
    engine = createEmbeddedMode({ config, store, bus, probes, clock: systemClock, logger: { error: (details, message) => assert.fail(`${message}: ${JSON.stringify(details)}`) } });
    bus.subscribe((event) => store.recordResults(event));
    app = createAgentRoutes({ config, store, ingest: (results) => engine.ingest(results), maxBatch: 10, clientAddress: createClientAddress(undefined) });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { as?: string } = {}) =>
    app.request(path, { ...init, headers: { ...(init.as ? { authorization: `Bearer ${init.as}` } : {}), 'content-type': 'application/json' } });
  const post = (results: unknown[], as = token) => call('/results', { method: 'POST', body: JSON.stringify({ results }), as });
  const result = (check: string, at: number, status: CheckResult['status']): CheckResult =>
    ({ check, at, status, latencyMs: 5, ...(status === 'down' ? { failure: { class: 'refused', message: 'no' } } : {}) });

  it('refuses requests without a valid token', async () => {
    assert.equal((await call('/checks')).status, 401);
    assert.equal((await call('/checks', { as: 'upa_wrong' })).status, 401);
    await store.revokeCredential('agent', 'probe-2/us-east', Date.now());
    assert.equal((await call('/checks', { as: other })).status, 401);
  });

  it("sends the checks of the token's region only", async () => {
    const body = (await (await call('/checks', { as: token })).json()) as { region: string; checks: { name: string; intervalMs: number }[] };
    assert.equal(body.region, 'eu-west');
    assert.deepEqual(body.checks.map((c) => c.name), ['api', 'eu-only']);
    assert.equal(body.checks[0].intervalMs, 60_000);
  });

  it('ingests results under the token’s region through quorum into the stored state', async () => {
    const now = Date.now();
    const response = await post([
      { ...result('api', now - 2000, 'down'), region: 'us-east' }, // the token decides the region
      result('eu-only', now - 2000, 'down'),
      result('local-only', now - 2000, 'down'), // not assigned to eu-west
    ]);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { accepted: 2, rejected: 1 });
    const states = new Map((await store.readStates()).map((s) => [s.check, s]));
    assert.equal(states.get('api')?.regions?.['eu-west'].status, 'down');
    assert.equal(states.get('api')?.regions?.['us-east'], undefined);
    assert.equal(states.get('api')?.status, 'up', 'one region of a quorum of two');
    assert.equal(states.get('eu-only')?.status, 'down');
    assert.equal(states.has('local-only'), false);
    const stored = await store.readRecentResults('api', { limit: 5 });
    assert.equal(stored[0].region, 'eu-west');
    assert.equal(stored[0].at, now - 2000, 'the probe time is kept');

    // a second region agreeing makes it down (local region results come from the server itself)
    await engine.ingest([{ ...result('api', now - 1000, 'down'), region: 'local' }]);
    assert.equal(engine.stateOf('api')?.status, 'down');
  });

  it('throttles token guessing per client address without locking out other agents', async () => {
    let now = Date.UTC(2026, 0, 1);
    const guarded = createAgentRoutes({ config, store, ingest: (results) => engine.ingest(results), clientAddress: createClientAddress(undefined), now: () => now });
    const server = await startServer(guarded);
    try {
      const get = (as: string, from?: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${server.url}/checks`, { headers: { authorization: `Bearer ${as}` }, localAddress: from, agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end();
        });
      const started = performance.now();
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push(await get(`upa_guess${i}`));
      const evaluated = statuses.filter((s) => s === 401).length;
      console.log(`agent token: ${evaluated} of 200 guesses evaluated (${(evaluated / ((performance.now() - started) / 1000)).toFixed(0)}/s)`);
      assert.deepEqual([evaluated, statuses.filter((s) => s === 429).length], [10, 190]);
      assert.equal(await get(token, '127.0.0.2'), 200, 'an agent at another address is not affected');
      now += 5000;
      assert.equal(await get('upa_again'), 401, 'one more guess every 5 s');
      assert.equal(await get('upa_again'), 429);
    } finally {
      await server.close();
    }
  });

  it('refuses malformed and oversized batches', async () => {
    assert.equal((await post([{ check: 'api' }])).status, 400);
    assert.equal((await post(Array.from({ length: 11 }, (_, i) => result('api', i, 'up')))).status, 400);
    const huge = await call('/results', { method: 'POST', body: JSON.stringify({ results: [], pad: 'x'.repeat(100_000) }), as: token });
    assert.equal(huge.status, 413);
  });
});
