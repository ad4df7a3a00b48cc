/**
 * The shared schedule when a check's interval changes. `syncSchedule` used to update the interval
 * but keep the stored next due time, so a check shortened from 10 minutes to 1 minute still
 * waited up to 10 minutes for its next run, off the phase every instance computes for it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { usePostgresStore } from '../../../test/support/postgres-store-fixture.ts';
import type { Store } from '../store.ts';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

describe('postgres schedule: interval changes', () => {
  let store: Store;
  usePostgresStore((opened) => {
    store = opened;
  });

  it('moves a check to the slot of its new interval, and keeps the slot when only another check changed', async () => {
    await store.syncSchedule([
      { check: 'changed', intervalMs: 10 * MINUTE, nextDueAt: T0 + 10 * MINUTE },
      { check: 'same', intervalMs: MINUTE, nextDueAt: T0 + 30_000 },
    ]);
    // claimed once: 'same' has moved on to T0 + 90 s in the stored schedule
    assert.deepEqual((await store.claimDueChecks('a', T0 + 30_000, 1_000, 10)).map((c) => c.check), ['same']);
    // a reload (or another instance starting) with 'changed' now every minute, first due at T0 + 20 s
    await store.syncSchedule([
      { check: 'changed', intervalMs: MINUTE, nextDueAt: T0 + 20_000 },
      { check: 'same', intervalMs: MINUTE, nextDueAt: T0 + 30_000 },
    ]);
    const due = await store.claimDueChecks('a', T0 + 25_000, 1_000, 10);
    assert.deepEqual(due.map((c) => `${c.check}@${c.dueAt - T0}`), ['changed@20000'], 'the new interval applies from its next slot, not the old next due time');
    assert.equal((await store.claimDueChecks('a', T0 + 35_000, 1_000, 10)).length, 0, "'same' keeps its advanced slot: an unchanged check is not run twice");
    const next = await store.claimDueChecks('a', T0 + 91_000, 1_000, 10);
    assert.deepEqual(next.map((c) => `${c.check}@${c.dueAt - T0}`).sort(), ['changed@80000', 'same@90000']);
  });
});
