import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { createResultBus, type ResultBus } from '../kernel/result-bus.ts';
import { componentId } from '../status/component-id.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import type { StatusModel } from '../status/status-model.ts';
import { openTestStore, result, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

/** Reads an SSE response until `stop(text)` is true or `timeoutMs` passes; returns the text read. */
async function readUntil(res: Response, stop: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!stop(text) && Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => (timer = setTimeout(() => r(null), deadline - Date.now())))]);
    clearTimeout(timer);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('app on a real Node server', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  // The real bus, counting live subscriptions so the test can see SSE clients unsubscribe.
  const inner = createResultBus();
  let subscribers = 0;
  const bus: ResultBus = {
    publish: (event) => inner.publish(event),
    subscribe(listener) {
      subscribers += 1;
      const off = inner.subscribe(listener);
      return () => {
        subscribers -= 1;
        return off();
      };
    },
  };
  const checks = [testCheck('API'), testCheck('Web', { group: 'Frontend' })];
  let server: { url: string; close: () => Promise<void> };
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [result('API', Date.now() - 5000, 'up', 42)]);
    server = await startServer(createApp({ config: testConfig(checks, { auth: { header: 'X-Auth', secrets: ['s3cret-value'] } }), store, bus }));
  });
  after(async () => {
    await server.close();
    await cleanup();
  });
  const auth = { 'X-Auth': 's3cret-value' };

  it('serves the page, the API and /healthz over HTTP', async () => {
    const page = await fetch(`${server.url}/`, { headers: auth });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /API[\s\S]*Operational/);
    const denied = await fetch(`${server.url}/api/v1/status`);
    assert.equal(denied.status, 401);
    assert.doesNotMatch(await denied.text(), /API/);
    const health = await fetch(`${server.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  it('streams a results event after bus.publish and serves fresh data (cache invalidated)', async () => {
    const initial = (await (await fetch(`${server.url}/api/v1/status`, { headers: auth })).json()) as StatusModel;
    assert.equal(initial.components[1].status, 'unknown');
    const controller = new AbortController();
    const res = await fetch(`${server.url}/events`, { headers: auth, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    try {
      const hello = await readUntil(res, (t) => t.includes('event: hello'), 15_000);
      assert.match(hello, /event: hello/);
      const results = [result('Web', Date.now(), 'down', 3000, { failure: { class: 'refused', message: 'connection refused' } })];
      await seed(store, results);
      await bus.publish({ results, states: statesAfter(results) });
      const text = await readUntil(res, (t) => t.includes('event: results'), 15_000);
      const data = /event: results\ndata: (.*)\nid: 1\n/.exec(text);
      assert.ok(data, text);
      const payload = JSON.parse(data[1]) as { checks: { id: string; status: string }[] };
      assert.deepEqual(payload.checks.map((c) => [c.id, c.status]), [[componentId('Web'), 'down']]);
      assert.ok(!data[1].includes('Web'), 'events carry ids, not names');
      assert.equal(subscribers, 2, 'the app (cache invalidation) and this stream');
    } finally {
      controller.abort();
    }
    // A closed stream unsubscribes from the bus (bounded wait: the server sees the close async).
    for (let i = 0; i < 100 && subscribers > 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(subscribers, 1, 'stream listener removed after the client left');
    const fresh = (await (await fetch(`${server.url}/api/v1/status`, { headers: auth })).json()) as StatusModel;
    assert.equal(fresh.components[1].status, 'down');
  });

  it('answers /events with 204 when there is no live bus', async () => {
    const res = await createApp({ config: testConfig(checks), store }).request('/events');
    assert.equal(res.status, 204);
  });
});
