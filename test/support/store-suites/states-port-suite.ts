/**
 * Contract of the states port: states land with their results (`recordResults`) and read back
 * whole, including per-region state, across a reopen; racing writers that ask for it are merged
 * under a lock, so neither loses the other's region.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckState } from '../../../src/domain/status.ts';
import type { LifecyclePort, ResultsPort, StatesPort } from '../../../src/storage/store.ts';
import type { ResultBatch } from '../../../src/storage/ports/results-port.ts';
import { mergeStates } from '../../../src/pipeline/quorum.ts';
import { T0, result, state, useHarness, type OpenHarness } from './suite-kit.ts';

export function statesPortSuite(name: string, open: OpenHarness<LifecyclePort & ResultsPort & StatesPort>): void {
  describe(`states port: ${name}`, () => {
    const h = useHarness(open);

    it('saves states with their results and reads the latest back', async () => {
      const store = h.store();
      const r1 = result('api', T0 + 1000, 'up', 120, { statusCode: 200 });
      const r2 = result('api', T0 + 61_000, 'down', 10_000, { statusCode: 503, failure: { class: 'status', message: 'got 503' } });
      await store.recordResults({ results: [r1], states: [state('api', 'up', r1)] });
      await store.recordResults({ results: [r2], states: [state('api', 'down', r2), state('quiet', 'unknown')] });
      const states = await store.readStates();
      const api = states.find((s) => s.check === 'api');
      assert.equal(api?.status, 'down');
      assert.deepEqual(api?.lastResult, r2);
      assert.equal(states.filter((s) => s.check === 'api').length, 1, 'one state per check');
      assert.ok(states.some((s) => s.check === 'quiet'), 'a state without results of its own is kept');
    });

    it('round-trips per-region state of multi-region checks', async () => {
      const store = h.store();
      const r = result('multi', T0 + 5000, 'down', 30, { region: 'eu-west' });
      const multi: CheckState = {
        ...state('multi', 'up', r),
        lastFailure: { class: 'timeout', message: 'no answer within 10000 ms', at: T0 - 60_000 },
        regions: {
          local: { status: 'up', at: T0 + 4000, latencyMs: 12 },
          'eu-west': { status: 'down', at: T0 + 5000, latencyMs: 30, failure: { class: 'refused', message: 'connection refused' } },
          'us-east': { status: 'stale', at: T0 - 600_000 },
        },
      };
      await store.recordResults({ results: [r], states: [multi] });
      const read = (await store.readStates()).find((s) => s.check === 'multi');
      assert.deepEqual(read, multi);
    });

    it('merges the states of writers that confirmed on the same read, keeping every region (ResultBatch.merge)', async () => {
      const store = h.store();
      const other = await h.harness().second();
      const check = { regions: ['a', 'b', 'c'], quorum: 2, intervalMs: 60_000 };
      const merge = (stored: CheckState | undefined, incoming: CheckState) => mergeStates(check, stored, incoming, T0 + 100_000);
      const base: CheckState = {
        check: 'merged',
        status: 'up',
        since: T0,
        streak: 0,
        regions: { a: { status: 'up', at: T0 }, b: { status: 'up', at: T0 }, c: { status: 'up', at: T0 } },
      };
      await store.recordResults({ results: [], states: [base], merge });
      let last: ResultBatch[] = [];
      for (let round = 1; round <= 10; round++) {
        const at = T0 + round * 1000;
        // two instances, each confirming one region's report on the same read of the state:
        // alone, each sees one region down of three (quorum 2), so each says `up`
        last = ['a', 'b'].map((region) => {
          const r = result('merged', at, 'down', 5, { region, failure: { class: 'refused', message: 'connection refused' } });
          const regions = { ...base.regions, [region]: { status: 'down' as const, at, latencyMs: 5 } };
          return { results: [r], states: [{ ...base, lastResult: r, regions }], merge };
        });
        await Promise.all([store.recordResults(last[0]), other.recordResults(last[1])]);
      }
      const read = (await store.readStates()).find((s) => s.check === 'merged');
      const at = T0 + 10_000;
      assert.deepEqual(read?.regions?.a, { status: 'down', at, latencyMs: 5 }, 'region a kept');
      assert.deepEqual(read?.regions?.b, { status: 'down', at, latencyMs: 5 }, 'region b kept');
      assert.equal(read?.status, 'down', 'the status is derived again from the merged regions');
      assert.ok(last.some((batch) => batch.states[0].status === 'down'), 'the batch carries the state that was stored');
    });

    it('keeps states across a reopen', async () => {
      const store = await h.reopen();
      assert.equal((await store.readStates()).find((s) => s.check === 'api')?.status, 'down');
    });
  });
}
