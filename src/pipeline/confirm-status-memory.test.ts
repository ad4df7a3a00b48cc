import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confirmStatus } from './confirm-status.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import { liveHeapBytes } from '../../test/support/live-heap.ts';

const CHECKS = 50_000;
const T0 = 1_780_000_000_000;
const RULE = { downAfter: { count: 1, of: 1 }, upAfter: 1 };

/** A result as the http probe makes it: timings and details included. */
function probeResult(check: string, at: number, failed: boolean): CheckResult {
  const timings = { connect: 0.41, firstByte: 2.8, total: 5.25 };
  return failed
    ? { check, at, status: 'down', latencyMs: 5.25, statusCode: 500, failure: { class: 'status', message: 'status 500' }, timings, details: { bodyBytes: 2 } }
    : { check, at, status: 'up', latencyMs: 5.25, statusCode: 200, timings, details: { bodyBytes: 2 } };
}

// The probe's results are dropped once confirmed and stored: each figure is what a state keeps,
// its last result included.
describe('confirmed state memory', () => {
  it('holds the state of a check that failed once in one object, with no overflow property storage (bytes after a full GC, not time)', (t) => {
    const down = Array.from({ length: CHECKS }, (_, i) => confirmStatus(undefined, [], probeResult(`c${i}`, T0, true), RULE));
    const before = liveHeapBytes();
    // the check recovered: its state keeps the last failure (what the page says last went wrong)
    const states: CheckState[] = down.map((state) => confirmStatus(state, [], probeResult(state.check, T0 + 60_000, false), RULE));
    const perCheck = (liveHeapBytes() - before) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per state`);
    assert.equal(states[7].status, 'up');
    assert.equal(states[7].lastFailure, down[7].lastFailure, 'the failure is the earlier one, not a copy');
    assert.deepEqual(Object.keys(states[7]).sort(), ['check', 'lastFailure', 'lastResult', 'since', 'status', 'streak']);
    assert.deepEqual(states[7].lastResult, { check: 'c7', at: T0 + 60_000, status: 'up', latencyMs: 5.25, statusCode: 200 });
    // with the last failure added after the literal it went to a separate property array (+32
    // bytes); keeping the probe's whole result as the last result: 336 bytes; its slice the page
    // reads: 192
    assert.ok(perCheck < 260, `${perCheck.toFixed(0)} bytes per state`);
  });

  it('holds a failing check\u2019s state and its last failure without overflow property storage (bytes after a full GC, not time)', (t) => {
    const before = liveHeapBytes();
    const states: CheckState[] = Array.from({ length: CHECKS }, (_, i) => confirmStatus(undefined, [], probeResult(`c${i}`, T0, true), RULE));
    const perCheck = (liveHeapBytes() - before) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per state`);
    assert.deepEqual(states[7].lastFailure, { class: 'status', message: 'status 500', at: T0 });
    // the failure copied by a spread and its time added after: +33 bytes; the probe's whole
    // result as the last result: 472; its slice: 328
    assert.ok(perCheck < 400, `${perCheck.toFixed(0)} bytes per state`);
  });
});
