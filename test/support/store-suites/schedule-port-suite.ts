/**
 * Contract of the schedule port (cluster and serverless modes): the schedule follows the
 * configured checks, and each due check is claimed by exactly one owner per interval.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecyclePort, SchedulePort } from '../../../src/storage/store.ts';
import { HOUR, T0, useHarness, type OpenHarness } from './suite-kit.ts';

const MINUTE = 60_000;

export function schedulePortSuite(name: string, open: OpenHarness<LifecyclePort & SchedulePort>): void {
  describe(`schedule port: ${name}`, () => {
    const h = useHarness(open);

    it('shares the schedule: each due check is claimed by exactly one owner per interval', async () => {
      const store = h.store();
      await store.syncSchedule([
        { check: 's1', intervalMs: 60_000, nextDueAt: T0 },
        { check: 's2', intervalMs: 60_000, nextDueAt: T0 + 30_000 },
        { check: 'gone', intervalMs: 60_000, nextDueAt: T0 },
      ]);
      await store.syncSchedule([
        { check: 's1', intervalMs: 60_000, nextDueAt: T0 },
        { check: 's2', intervalMs: 60_000, nextDueAt: T0 + 30_000 },
      ]);
      const other = await h.harness().second();
      const [a, b] = await Promise.all([
        store.claimDueChecks('a', T0 + 1000, 20_000, 10),
        other.claimDueChecks('b', T0 + 1000, 20_000, 10),
      ]);
      assert.deepEqual([...a, ...b].map((c) => c.check), ['s1'], 'only due, configured checks; once');
      assert.equal([...a, ...b][0].dueAt, T0);
      assert.equal((await store.claimDueChecks('a', T0 + 31_000, 20_000, 10)).map((c) => c.check).join(), 's2');
      assert.equal((await store.claimDueChecks('a', T0 + 40_000, 20_000, 10)).length, 0, 'nothing due twice in one interval');
      const next = await other.claimDueChecks('b', T0 + 61_000, 20_000, 10);
      assert.deepEqual(next.map((c) => c.check), ['s1']);
      assert.equal(next[0].dueAt, T0 + 60_000);
      await other.close();
    });

    it('moves a check whose interval changed to the slot of its new interval, and keeps an unchanged one', async () => {
      // after the first case's claims (a DynamoDB claim cursor is past T0 + 61 s): times move forward from B
      const B = T0 + HOUR;
      const store = h.store();
      await store.syncSchedule([
        { check: 'changed', intervalMs: 60 * MINUTE, nextDueAt: B + 60 * MINUTE },
        { check: 'same', intervalMs: MINUTE, nextDueAt: B + 30_000 },
      ]);
      assert.deepEqual((await store.claimDueChecks('a', B + 30_000, 1_000, 10)).map((c) => c.check), ['same']);
      // a reload (or another instance's cold start) with 'changed' now every minute, next due at B + 50 s
      await store.syncSchedule([
        { check: 'changed', intervalMs: MINUTE, nextDueAt: B + 50_000 },
        { check: 'same', intervalMs: MINUTE, nextDueAt: B + 30_000 },
      ]);
      const due = await store.claimDueChecks('a', B + 55_000, 1_000, 10);
      assert.deepEqual(due.map((c) => `${c.check}@${c.dueAt - B}`), ['changed@50000'], 'the new interval applies from its next slot, not the old one an hour away');
      assert.equal((await store.claimDueChecks('a', B + 85_000, 1_000, 10)).length, 0, "'same' keeps its slot: an unchanged check is not run twice");
      const next = await store.claimDueChecks('a', B + 111_000, 1_000, 10);
      assert.deepEqual(next.map((c) => `${c.check}@${c.dueAt - B}`).sort(), ['changed@110000', 'same@90000']);
    });

    it('tells its own time (the clock claimers share), in epoch ms', async () => {
      const before = Date.now();
      const time = await h.store().readClock();
      const after = Date.now();
      assert.ok(Number.isInteger(time), `an integer: ${time}`);
      // the engine runs on this host: its clock and the test's agree within NTP noise
      assert.ok(time >= before - 1_000 && time <= after + 1_000, `${time} within [${before}, ${after}] ± 1 s`);
    });
  });
}
