import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confirmStatus } from './confirm-status.ts';
import type { Confirmation } from '../domain/check.ts';
import type { ResultStatus } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';

/** Feeds a sequence of per-result statuses through confirmation and returns the shown statuses. */
function replay(statuses: ResultStatus[], rule: Confirmation, start?: CheckState): string[] {
  let state = start;
  const recent: ResultStatus[] = [];
  return statuses.map((status, i) => {
    state = confirmStatus(state, recent, { check: 'c', at: i * 1000, status, latencyMs: 1 }, rule);
    recent.push(status);
    return state.status;
  });
}

const consecutive = (n: number, up = 1): Confirmation => ({ downAfter: { count: n, of: n }, upAfter: up });

describe('confirmStatus', () => {
  it('with the default rule shows each result as it comes', () => {
    assert.deepEqual(replay(['up', 'down', 'degraded', 'up'], consecutive(1)), ['up', 'down', 'degraded', 'up']);
  });

  it('goes down only after N consecutive failures and up after M successes', () => {
    assert.deepEqual(
      replay(['up', 'down', 'down', 'up', 'down', 'down', 'down', 'up', 'up'], consecutive(3, 2)),
      ['up', 'up', 'up', 'up', 'up', 'up', 'down', 'down', 'up'],
    );
  });

  it('supports "count of window" rules', () => {
    const rule: Confirmation = { downAfter: { count: 3, of: 5 }, upAfter: 1 };
    assert.deepEqual(replay(['up', 'down', 'up', 'down', 'up', 'down'], rule), ['up', 'up', 'up', 'up', 'up', 'down']);
  });

  it('stays unknown until the first failure is confirmed', () => {
    assert.deepEqual(replay(['down', 'down'], consecutive(2)), ['unknown', 'down']);
  });

  it('keeps `since` while the status holds and moves it on change', () => {
    let state: CheckState | undefined;
    const recent: ResultStatus[] = [];
    const sinces: number[] = [];
    for (const [i, status] of (['up', 'up', 'down', 'down'] as const).entries()) {
      state = confirmStatus(state, recent, { check: 'c', at: i * 1000, status, latencyMs: 1 }, consecutive(1));
      recent.push(status);
      sinces.push(state.since);
    }
    assert.deepEqual(sinces, [0, 0, 2000, 2000]);
  });

  it('remembers the last failure after the check recovers', () => {
    const rule = consecutive(1);
    let state = confirmStatus(undefined, [], { check: 'c', at: 1, status: 'down', latencyMs: 1, failure: { class: 'refused', message: 'nope' } }, rule);
    state = confirmStatus(state, ['down'], { check: 'c', at: 2, status: 'up', latencyMs: 1 }, rule);
    assert.equal(state.status, 'up');
    assert.deepEqual(state.lastFailure, { class: 'refused', message: 'nope', at: 1 });
  });

  it('shows maintenance for results inside a window, then resumes', () => {
    let state: CheckState | undefined = confirmStatus(undefined, [], { check: 'c', at: 0, status: 'down', latencyMs: 1, inMaintenance: true }, consecutive(1));
    assert.equal(state.status, 'maintenance');
    state = confirmStatus(state, ['down'], { check: 'c', at: 1, status: 'up', latencyMs: 1 }, consecutive(1));
    assert.equal(state.status, 'up');
  });
});
