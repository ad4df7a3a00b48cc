import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { withConfigNames } from './with-config-names.ts';
import type { EmbeddedStore } from './store.ts';
import { openTestStore, result, seed } from '../../test/support/http-fixture.ts';
import { liveHeapBytes as liveBytes } from '../../test/support/live-heap.ts';
import { checkIndex } from '../domain/check-index.ts';

const CHECKS = 20_000;
// 40-character names: a second copy of each is ~56 bytes
const checks = Array.from({ length: CHECKS }, (_, i) => ({ name: `check-${String(i).padStart(34, '0')}` }));

/** What the alert evaluator does at start: every state by its check's name, for the process's life. */
async function keyedByName(source: Pick<EmbeddedStore, 'readStates'>): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  for (const state of await source.readStates()) held.set(state.check, state.since);
  return held;
}

describe('withConfigNames', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [...checks.map((check, i) => result(check.name, 1_000 + i, 'up', 10)), result('gone', 5, 'down', 10)]);
  });
  after(async () => cleanup());

  it('a Map keyed by the states it reads holds no copy of the names (bytes after a full GC, never time)', async (t) => {
    const view = withConfigNames(store, checks);
    checkIndex(checks); // the server's shared index of the config's checks exists anyway
    const base = liveBytes();
    const held = await keyedByName(view);
    const perCheck = (liveBytes() - base) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check for a Map keyed by the states' names`);
    // the Map's own entry (~40–50 B); with the store's copy of each name it was ~100
    assert.ok(perCheck < 75, `${perCheck.toFixed(1)} bytes per check`);
    assert.equal(held.size, CHECKS + 1);
  });

  it('the states it hands back hold no copy of the names, in the state or its last result', async (t) => {
    const view = withConfigNames(store, checks);
    checkIndex(checks);
    const base = liveBytes();
    // what the memory state authority keeps until each check runs again
    const states = await view.readStates();
    const perCheck = (liveBytes() - base) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check for the states read`);
    // the state and its last result (~130 B); the two copies of a 40-character name were ~110 more
    assert.ok(perCheck < 180, `${perCheck.toFixed(1)} bytes per check`);
    assert.equal(states.length, CHECKS + 1);
    assert.equal(states[0].lastResult?.check, checks[0].name);
  });

  it('renames the states the store read in place, making no second object per state or last result', async () => {
    // a start-up at 100,000 checks read every state twice (state authority, alert evaluator): a
    // copy of each state and its last result per read was ~20 MB of garbage at the peak
    const read = [{ check: `check-${'0'.repeat(34)}`, status: 'up' as const, since: 1, streak: 0, lastResult: { check: `check-${'0'.repeat(34)}`, at: 1, status: 'up' as const, latencyMs: 1 } }];
    const lastResult = read[0].lastResult;
    const [state] = await withConfigNames({ readStates: async () => read }, checks).readStates();
    assert.equal(state, read[0]);
    assert.equal(state.lastResult, lastResult);
    assert.equal(state.check, checks[0].name);
  });

  it('hands back the same states, a state of a check the config lacks as read, and named reads as read', async () => {
    const view = withConfigNames(store, checks);
    assert.deepEqual(await view.readStates(), await store.readStates());
    assert.equal((await view.readStates()).find((s) => s.check === 'gone')?.status, 'down');
    assert.deepEqual(await view.readStates([checks[3].name]), await store.readStates([checks[3].name]));
  });
});
