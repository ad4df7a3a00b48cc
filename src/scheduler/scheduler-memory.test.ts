import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler } from './scheduler.ts';
import { createManualClock } from '../kernel/clock.ts';
import type { Check } from '../domain/check.ts';
import { liveHeapAndBufferBytes as liveBytes } from '../../test/support/live-heap.ts';
import { testCheck } from '../../test/support/http-fixture.ts';

describe('scheduler memory', () => {
  it('keeps under 80 bytes per scheduled check (bytes after a full GC, not time)', async (t) => {
    const confirm = { downAfter: { count: 1, of: 1 }, upAfter: 1 };
    const checks: Check[] = Array.from({ length: 20_000 }, (_, i) => testCheck(`check-${i}`, { confirm, kind: 'tcp', timeoutMs: 1000, target: `check-${i}` }));
    const clock = createManualClock(0);
    const before = liveBytes();
    const scheduler = createScheduler({ checks, clock, concurrency: 10, run: async () => {}, onError: () => {} });
    scheduler.start();
    const perCheck = (liveBytes() - before) / checks.length;
    // one timer armed for the earliest slot, nothing run yet
    assert.equal(scheduler.running, 0);
    await scheduler.stop();
    t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
    assert.ok(perCheck < 80, `${perCheck.toFixed(0)} bytes per check held by the scheduler`);
  });
});
