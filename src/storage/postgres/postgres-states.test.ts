/**
 * Reading the states of named checks only. Cluster instances read states on every commit and on
 * every notice from another instance; reading the whole table each time made the database's
 * work grow with the number of checks configured instead of the checks that changed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { usePostgresStore } from '../../../test/support/postgres-store-fixture.ts';
import type { CheckState } from '../../domain/status.ts';
import type { Store } from '../store.ts';

const state = (check: string, at: number): CheckState => ({
  check,
  status: 'up',
  since: at,
  streak: 1,
  lastResult: { check, at, status: 'up', latencyMs: 3 },
});

describe('postgres states: readStates of named checks', () => {
  let store: Store;
  usePostgresStore(async (opened) => {
    store = opened;
    const names = Array.from({ length: 50 }, (_, i) => `check-${i}`);
    await store.recordResults({ results: names.map((name, i) => ({ check: name, at: 1_000 + i, status: 'up', latencyMs: 3 })), states: names.map((name, i) => state(name, 1_000 + i)) });
  });

  it('returns exactly the named checks that have a state', async () => {
    const states = await store.readStates(['check-7', 'check-42', 'never-ran']);
    assert.deepEqual(states.map((s) => s.check).sort(), ['check-42', 'check-7']);
    assert.equal(states.find((s) => s.check === 'check-7')?.lastResult?.at, 1_007);
  });

  it('returns every state without names, and none for an empty list', async () => {
    assert.equal((await store.readStates()).length, 50);
    assert.deepEqual(await store.readStates([]), []);
  });
});
