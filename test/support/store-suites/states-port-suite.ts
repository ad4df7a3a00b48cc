/**
 * Contract of the states port: states land with their results (`recordResults`) and read back
 * whole, including per-region state, across a reopen.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckState } from '../../../src/domain/status.ts';
import type { LifecyclePort, ResultsPort, StatesPort } from '../../../src/storage/store.ts';
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

    it('keeps states across a reopen', async () => {
      const store = await h.reopen();
      assert.equal((await store.readStates()).find((s) => s.check === 'api')?.status, 'down');
    });
  });
}
