import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';
import { liveHeapBytes as liveBytes } from '../../test/support/live-heap.ts';

const CHECKS = 20_000;
const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
// 40-character names, so a second copy of each name shows in the bytes
const checks = Array.from({ length: CHECKS }, (_, i) => testCheck(`check-${String(i).padStart(34, '0')}`, { group: `group-${i % 50}` }));
const config = testConfig(checks, { page: { title: 'Acme status', groups: undefined } });

describe('web app memory per check (bytes after a full GC, never time)', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, checks.map((check, i) => result(check.name, NOW - 60_000 + i, 'up', 10)));
  });
  after(async () => cleanup());

  it('the routes share one lazily built set of check names (five Sets were ~165 B per check)', async (t) => {
    const base = liveBytes();
    const app = createApp({ config, store, now: () => NOW });
    const perCheck = (liveBytes() - base) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check held by the app without live results`);
    assert.ok(perCheck < 40, `${perCheck.toFixed(1)} bytes per check`);
    // (keeps the app alive through the measurement; name checks are the route tests' subject)
    assert.equal((await app.request('/no-such-page')).status, 404);
  });

  it('with live results, the statuses seeded from the store are keyed by the config\u2019s names (no second copy)', async (t) => {
    const base = liveBytes();
    const bus = createResultBus();
    const app = createApp({ config, store, bus, now: () => NOW });
    // the app seeds the statuses it shows from the store's states; wait until it has read them
    await store.readStates();
    await new Promise((resolve) => setImmediate(resolve));
    const perCheck = (liveBytes() - base) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check held by the app with live results, statuses seeded`);
    // the shown statuses, live facts and states are slots by check position on one shared check
    // index (~46 B): 92 B per check, where a Map by name each was 122; a second copy of each
    // 40-character name was ~56 B more, a status string per state ~20 B
    assert.ok(perCheck < 110, `${perCheck.toFixed(1)} bytes per check`);
    assert.equal((await app.request('/no-such-page')).status, 404);
  });
});
