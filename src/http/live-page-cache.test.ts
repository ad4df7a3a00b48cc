import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { subscribeStoreWriter } from '../engine/store-writer.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { parseConfig } from '../config/load-config.ts';
import { ConfigError, formatIssue } from '../config/config-error.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const START = Date.UTC(2026, 2, 15, 12, 0, 0);
const CHECKS = Array.from({ length: 50 }, (_, i) => testCheck(`Check ${i}`));
/** Batches published between two requests for `/`, as a 500-check install at 20 s sends them. */
const TICK_MS = 100;

/** A batch of up results for `names` at `at`, with states whose status (and `since`) stay put. */
function upBatch(names: readonly string[], at: number, latencyMs: number): { results: CheckResult[]; states: CheckState[] } {
  const results = names.map((name) => result(name, at, 'up', latencyMs, { statusCode: 200 }));
  return { results, states: results.map((r) => ({ check: r.check, status: 'up', since: START - 3_600_000, lastResult: r, streak: 0 })) };
}

describe('the status page under live results', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(
      store,
      CHECKS.map((c) => result(c.name, START - 3_600_000, 'up', 40, { statusCode: 200 })),
    );
  });
  after(async () => cleanup());

  /** The app on a real bus with the store writer first, a settable clock and a render count. */
  function live(page: Record<string, unknown> = {}) {
    let now = START;
    const renders: string[] = [];
    const storeReads: string[] = [];
    // the app's store, counting the status reads a render makes (the writer uses the store itself)
    const counted = new Proxy(store, {
      get(target, name) {
        const member = Reflect.get(target, name);
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          if (name === 'readStates' || name === 'readRollups') storeReads.push(String(name));
          return member.apply(target, args);
        };
      },
    });
    const bus = createResultBus((error) => assert.fail(String(error)));
    subscribeStoreWriter(bus, store);
    const app = createApp({ config: testConfig(CHECKS, { page: { title: 'Acme status', ...page } }), store: counted, bus, now: () => now, onRender: (key) => renders.push(key) });
    return {
      bus,
      app,
      renders,
      storeReads,
      advance(ms: number) {
        now += ms;
        return now;
      },
      get now() {
        return now;
      },
    };
  }

  const section = (html: string, name: string) => html.slice(html.indexOf(`id=c-${componentId(name)} `)).split('</li>\n')[0];
  /** Lets background renders started by a request finish. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('keeps serving `/` from the cache while results that change no status stream in, re-rendering in the background', async (context) => {
    const t = live();
    assert.equal((await t.app.request('/')).status, 200);
    const readsAtStart = t.storeReads.length;
    const requests = 40;
    for (let i = 0; i < requests; i++) {
      // 5 of 50 checks report per tick: every check reports once a second, none changes status
      const names = CHECKS.slice((i % 10) * 5, (i % 10) * 5 + 5).map((c) => c.name);
      await t.bus.publish(upBatch(names, t.advance(TICK_MS), 100 + i));
      assert.equal((await t.app.request('/')).status, 200);
      await settle();
    }
    const pageRenders = t.renders.filter((k) => k === 'page:/').length;
    context.diagnostic(`${requests} requests under live results → ${pageRenders} renders of /`);
    // 4 s of results with the default 5 s window: the first render plus at most two background ones
    assert.ok(pageRenders <= 3, `${requests} requests under live results → ${pageRenders} renders of /`);
    // states and rollups live in memory, updated per batch: re-renders read neither from the store
    assert.ok(pageRenders > 1, 'the page was re-rendered');
    assert.deepEqual(t.storeReads.slice(readsAtStart), [], 'no status reads after the first render');
  });

  it('shows a status change at once, and results that change no status within page.liveRefreshSeconds', async () => {
    const t = live({ liveRefreshSeconds: 4 });
    await t.app.request('/');
    // an up result with a new latency: the cached page is still served right after it
    await t.bus.publish(upBatch(['Check 1'], t.advance(1_000), 777));
    assert.doesNotMatch(section(await (await t.app.request('/')).text(), 'Check 1'), /777 ms/);
    // after the window the page shows it, without waiting for a status change
    t.advance(4_000);
    const later = await (await t.app.request('/')).text();
    await settle();
    const shown = later.includes('777 ms') ? later : await (await t.app.request('/')).text();
    assert.match(section(shown, 'Check 1'), /777 ms/);
    // a status change is never served stale
    const down = result('Check 2', t.advance(100), 'down', 10_000, { failure: { class: 'timeout', message: 'no response' } });
    await t.bus.publish({ results: [down], states: [{ check: 'Check 2', status: 'down', since: down.at, lastResult: down, streak: 0 }] });
    assert.match(section(await (await t.app.request('/')).text(), 'Check 2'), /Outage/);
  });

  it('renders each of many concurrent requests for an uncached output once', async () => {
    const t = live();
    const responses = await Promise.all(Array.from({ length: 20 }, () => t.app.request('/api/v1/status')));
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.equal(t.renders.filter((k) => k === 'api:/status').length, 1);
  });

  it('still drops every output at once on an admin write', async () => {
    const token = 'admin-token-0123456789abcdef';
    let now = START + 60_000;
    const renders: string[] = [];
    const bus = createResultBus();
    const app = createApp({
      config: testConfig(CHECKS, { admin: { tokens: [{ name: 'ops', token }] } }),
      store,
      bus,
      now: () => now,
      onRender: (key) => renders.push(key),
    });
    await app.request('/');
    await app.request('/');
    assert.equal(renders.length, 1);
    const created = await app.request('/api/v1/incidents', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Database trouble', status: 'investigating', impact: 'major', checks: ['Check 3'], body: 'Looking into it' }),
    });
    assert.equal(created.status, 201, await created.text());
    now += 10;
    assert.match(await (await app.request('/')).text(), /Database trouble/);
    assert.equal(renders.length, 2);
  });

  it('validates page.liveRefreshSeconds with file, line and field', () => {
    assert.equal(parseConfig('page:\n  title: A\n', '/x/upstate.yaml', { env: {} }).page.liveRefreshSeconds, 5);
    assert.equal(parseConfig('page:\n  liveRefreshSeconds: 0\n', '/x/upstate.yaml', { env: {} }).page.liveRefreshSeconds, 0);
    assert.throws(
      () => parseConfig('page:\n  title: A\n  liveRefreshSeconds: -1\n', '/x/upstate.yaml', { env: {} }),
      (error: unknown) => error instanceof ConfigError && /^upstate\.yaml:3 page\.liveRefreshSeconds: /.test(error.issues.map(formatIssue).join('\n')),
    );
  });
});
