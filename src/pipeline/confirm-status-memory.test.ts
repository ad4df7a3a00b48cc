import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confirmStatus } from './confirm-status.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import { liveHeapBytes } from '../../test/support/live-heap.ts';

const CHECKS = 50_000;
const T0 = 1_780_000_000_000;
const RULE = { downAfter: { count: 1, of: 1 }, upAfter: 1 };

describe('confirmed state memory', () => {
  it('holds the state of a check that failed once in one object, with no overflow property storage (bytes after a full GC, not time)', (t) => {
    // the results exist anyway (the state's lastResult): made before the baseline, kept after it
    const failed: CheckResult[] = Array.from({ length: CHECKS }, (_, i) => ({ check: `c${i}`, at: T0, status: 'down', latencyMs: 5, failure: { class: 'status', message: 'status 500' } }));
    const recovered: CheckResult[] = failed.map((result) => ({ check: result.check, at: T0 + 60_000, status: 'up', latencyMs: 5 }));
    const down = failed.map((result) => confirmStatus(undefined, [], result, RULE));
    const before = liveHeapBytes();
    // the check recovered: its state keeps the last failure (what the page says last went wrong)
    const states: CheckState[] = recovered.map((result, i) => confirmStatus(down[i], [], result, RULE));
    const perCheck = (liveHeapBytes() - before) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per state`);
    assert.equal(states[7].status, 'up');
    assert.equal(states[7].lastFailure, down[7].lastFailure, 'the failure is the earlier one, not a copy');
    assert.deepEqual(Object.keys(states[7]).sort(), ['check', 'lastFailure', 'lastResult', 'since', 'status', 'streak']);
    assert.equal(failed.length + recovered.length + down.length, 3 * CHECKS);
    // with the last failure added after the literal it went to a separate property array: 128
    // bytes per state; in the literal, 96
    assert.ok(perCheck < 112, `${perCheck.toFixed(0)} bytes per state`);
  });

  it('holds a failing check\u2019s state and its last failure without overflow property storage (bytes after a full GC, not time)', (t) => {
    const failed: CheckResult[] = Array.from({ length: CHECKS }, (_, i) => ({ check: `c${i}`, at: T0, status: 'down', latencyMs: 5, failure: { class: 'status', message: 'status 500' } }));
    const before = liveHeapBytes();
    const states: CheckState[] = failed.map((result) => confirmStatus(undefined, [], result, RULE));
    const perCheck = (liveHeapBytes() - before) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per state`);
    assert.deepEqual(states[7].lastFailure, { class: 'status', message: 'status 500', at: T0 });
    assert.equal(failed.length, CHECKS);
    // the failure copied by a spread and its time added after: 193 bytes per state; one literal: 160
    assert.ok(perCheck < 175, `${perCheck.toFixed(0)} bytes per state`);
  });
});
