import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckResult } from '../domain/result.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const CHECKS = ['A', 'B', 'C'].map((name) => testCheck(name, { group: name === 'A' ? 'Edge' : 'Core' }));

/** Live events carry what the page shows for the checks of a batch; only their cached outputs are dropped. */
describe('live events and per-check cache invalidation', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  const renders = new Map<string, number>();
  const bus = createResultBus();
  let app: ReturnType<typeof createApp>;

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, CHECKS.map((c) => result(c.name, NOW - 60_000, 'up', 40, { statusCode: 200 })));
    // counts check-page renders per check: each render reads that check's recent results once
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'readRecentResults') return typeof value === 'function' ? value.bind(target) : value;
        return (check: string, options: unknown) => {
          renders.set(check, (renders.get(check) ?? 0) + 1);
          return (value as EmbeddedStore['readRecentResults']).call(target, check, options as never);
        };
      },
    });
    app = createApp({ config: testConfig(CHECKS), store: counting, bus, now: () => NOW });
  });
  after(async () => cleanup());

  async function publish(results: CheckResult[]) {
    await seed(store, results);
    await bus.publish({ results, states: statesAfter(results) });
  }

  it('re-renders only the outputs of the checks in a batch (and the pages that show every check)', async () => {
    for (const c of CHECKS) await app.request(`/checks/${componentId(c.name)}`);
    await app.request('/');
    const before = Object.fromEntries(renders);
    const homeEtag = (await app.request('/')).headers.get('etag');
    await publish([result('A', NOW - 1000, 'down', 900, { failure: { class: 'timeout', message: 'x' } })]);
    for (const c of CHECKS) await app.request(`/checks/${componentId(c.name)}`);
    const after = Object.fromEntries(renders);
    assert.deepEqual(
      CHECKS.map((c) => (after[c.name] ?? 0) - (before[c.name] ?? 0)),
      [1, 0, 0],
      'only A\'s check page was rendered again',
    );
    assert.notEqual((await app.request('/')).headers.get('etag'), homeEtag, 'the home page shows A, so it was re-rendered');
  });

  it('sends each changed component as the page shows it, with its group and the banner', async () => {
    const server = await startServer(app);
    try {
      const res = await fetch(`${server.url}/events`);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('event: hello')) text += decoder.decode((await reader.read()).value);
      await publish([result('B', NOW - 500, 'down', 1200, { failure: { class: 'refused', message: 'connection to 10.0.0.7:443 refused' } })]);
      while (!/event: results\n[^]*?\n\n/.test(text)) text += decoder.decode((await reader.read()).value);
      await reader.cancel();
      const block = /event: results\n([^]*?)\n\n/.exec(text)![1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]);
      assert.deepEqual(data.checks, [
        { id: componentId('B'), status: 'down', latencyMs: 1200, at: NOW - 500, label: 'Outage', latency: '1.20 s', uptime: ['50.00%', '50.00%', '50.00%'], reason: 'Connection refused' },
      ]);
      assert.deepEqual(data.groups, [{ id: componentId('group:Core'), status: 'down', label: 'Partial outage' }]);
      assert.deepEqual(data.overall, { tone: 'down', description: 'Major outage', updatedAt: NOW - 500 });
    } finally {
      await server.close();
    }
  });
});
