import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import { confirmResult, freshRegions, isMultiRegion, mergeStates, quorumStatus, restaleStates, STALE_AFTER_INTERVALS } from './quorum.ts';

const I = 10_000;
const check = {
  regions: ['local', 'eu-west', 'us-east'],
  quorum: 2,
  intervalMs: I,
  confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
};

function result(region: string, at: number, status: CheckResult['status'], latencyMs = 12): CheckResult {
  const r: CheckResult = { check: 'api', at, status, latencyMs, region };
  if (status === 'down') r.failure = { class: 'refused', message: 'connection refused' };
  return r;
}

/** Feeds results in order through confirmResult, as the pipeline does. */
function feed(results: CheckResult[], start?: CheckState, target = check): CheckState | undefined {
  let state = start;
  const seen: CheckResult[] = [];
  for (const r of results) {
    state = confirmResult(target, state, seen, r, r.at);
    seen.push(r);
  }
  return state;
}

describe('quorum aggregation', () => {
  it('treats a local-only check as single-region (confirmStatus unchanged)', () => {
    const local = { ...check, regions: ['local'], quorum: 1 };
    assert.equal(isMultiRegion(local), false);
    const state = feed([{ check: 'api', at: 1, status: 'down', latencyMs: 1 }], undefined, local);
    assert.equal(state?.status, 'down');
    assert.equal(state?.regions, undefined);
  });

  it('stays up when 1 of 3 regions is down, goes down at 2 of 3, recovers below quorum', () => {
    let state = feed([result('local', 1000, 'up'), result('eu-west', 1100, 'up'), result('us-east', 1200, 'down', 0)]);
    assert.equal(state?.status, 'up');
    assert.equal(state?.regions?.['us-east'].status, 'down');
    assert.equal(state?.regions?.['us-east'].failure?.class, 'refused');
    assert.equal(state?.regions?.['eu-west'].latencyMs, 12);

    state = feed([result('eu-west', 11_100, 'down')], state);
    assert.equal(state?.status, 'down');
    assert.equal(state?.since, 11_100);

    state = feed([result('us-east', 11_200, 'up')], state);
    assert.equal(state?.status, 'up', 'one region down of three is below quorum again');
    assert.equal(state?.since, 11_200);
  });

  it('confirms per region: downAfter counts each region on its own', () => {
    const strict = { ...check, confirm: { downAfter: { count: 2, of: 2 }, upAfter: 1 } };
    const state = feed(
      [result('eu-west', 1000, 'down'), result('us-east', 1010, 'down'), result('local', 1020, 'up')],
      undefined,
      strict,
    );
    // two regions each saw one failure: neither region is confirmed down yet
    assert.equal(state?.status, 'up');
    // the same regions fail again: now each region has two failures in a row
    const history = [result('eu-west', 1000, 'down'), result('us-east', 1010, 'down'), result('local', 1020, 'up')];
    let next = state;
    for (const r of [result('eu-west', 11_000, 'down'), result('us-east', 11_010, 'down')]) {
      next = confirmResult(strict, next, history, r, r.at);
      history.push(r);
    }
    assert.equal(next?.status, 'down');
  });

  it('marks silent regions stale and never counts them as down', () => {
    const start = feed([result('local', 0, 'up'), result('eu-west', 0, 'down'), result('us-east', 0, 'down')]);
    assert.equal(start?.status, 'down');
    const later = (STALE_AFTER_INTERVALS + 1) * I;
    const state = confirmResult(check, start, [], result('local', later, 'up'), later);
    assert.equal(state.regions?.['eu-west'].status, 'stale');
    assert.equal(state.regions?.['us-east'].status, 'stale');
    assert.equal(state.status, 'up', 'only the fresh region counts');
  });

  it('is unknown when every region is stale, and ignores unconfigured regions', () => {
    const regions = freshRegions(
      { local: { status: 'down', at: 0 }, mars: { status: 'down', at: 10 ** 9 } },
      check,
      10 ** 9,
    );
    assert.deepEqual(Object.keys(regions), ['local']);
    assert.equal(quorumStatus(regions, 1), 'unknown');
  });

  it('ignores a result older than the region’s latest (a re-sent agent batch)', () => {
    const state = feed([result('eu-west', 5000, 'up')]);
    const again = confirmResult(check, state, [], result('eu-west', 4000, 'down'), 6000);
    assert.equal(again, state);
  });

  it('derives maintenance and degraded from fresh regions', () => {
    assert.equal(quorumStatus({ a: { status: 'maintenance', at: 1 }, b: { status: 'maintenance', at: 1 } }, 2), 'maintenance');
    assert.equal(quorumStatus({ a: { status: 'degraded', at: 1 }, b: { status: 'down', at: 1 } }, 2), 'degraded');
    assert.equal(quorumStatus({ a: { status: 'down', at: 1 }, b: { status: 'stale', at: 1 } }, 1), 'down');
  });
});

describe('restaleStates', () => {
  it('recomputes a multi-region check whose regions all went silent, and nothing else', () => {
    const agentsOnly = { name: 'api', regions: ['eu-west', 'us-east'], quorum: 1, intervalMs: I, confirm: check.confirm };
    const down = feed([result('eu-west', 0, 'down'), result('us-east', 0, 'down')], undefined, agentsOnly)!;
    assert.equal(down.status, 'down');
    const states = new Map([['api', down]]);
    assert.deepEqual(restaleStates([agentsOnly], states, 2 * I), [], 'still fresh: unchanged');
    const [after] = restaleStates([agentsOnly], states, (STALE_AFTER_INTERVALS + 1) * I);
    assert.equal(after.status, 'unknown');
    assert.equal(after.regions?.['eu-west'].status, 'stale');
    assert.equal(after.since, (STALE_AFTER_INTERVALS + 1) * I);
    states.set('api', after);
    assert.deepEqual(restaleStates([agentsOnly], states, (STALE_AFTER_INTERVALS + 2) * I), [], 'already stale: nothing to write');
  });

  it('merges a state confirmed on an older read: each region keeps its newest entry, status by quorum again', () => {
    const stored: CheckState = {
      check: 'api', status: 'up', since: 100, streak: 0,
      regions: { local: { status: 'up', at: 5_000 }, 'eu-west': { status: 'down', at: 6_000 }, 'us-east': { status: 'up', at: 1_000 } },
    };
    // written by an instance that had not seen eu-west's report: us-east down, eu-west still up at 1 000
    const incoming: CheckState = {
      check: 'api', status: 'up', since: 100, streak: 0, lastResult: result('us-east', 7_000, 'down'),
      regions: { local: { status: 'up', at: 5_000 }, 'eu-west': { status: 'up', at: 1_000 }, 'us-east': { status: 'down', at: 7_000 } },
    };
    const merged = mergeStates(check, stored, incoming, 8_000);
    assert.equal(merged.regions?.['eu-west']?.status, 'down', 'the stored newer region entry stays');
    assert.equal(merged.regions?.['us-east']?.status, 'down', 'the incoming newer region entry lands');
    assert.equal(merged.status, 'down', 'two of three down meets quorum 2');
    assert.equal(merged.since, 7_000, 'the change happened with the incoming result');
    assert.equal(merged.lastResult?.at, 7_000);
  });

  it('merges single-region states by their last result (an older one never replaces a newer)', () => {
    const local = { ...check, regions: ['local'], quorum: 1 };
    const newer: CheckState = { check: 'api', status: 'down', since: 9, streak: 0, lastResult: { check: 'api', at: 9, status: 'down', latencyMs: 1 } };
    const older: CheckState = { check: 'api', status: 'up', since: 5, streak: 0, lastResult: { check: 'api', at: 5, status: 'up', latencyMs: 1 } };
    assert.equal(mergeStates(local, newer, older, 10), newer);
    assert.equal(mergeStates(local, older, newer, 10), newer);
    assert.equal(mergeStates(local, undefined, older, 10), older);
  });
});
