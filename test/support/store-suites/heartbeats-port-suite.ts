/**
 * Contract of the heartbeats port: the latest ping per check wins, whatever order pings arrive in.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HeartbeatsPort, LifecyclePort } from '../../../src/storage/store.ts';
import { T0, useHarness, type OpenHarness } from './suite-kit.ts';

export function heartbeatsPortSuite(name: string, open: OpenHarness<LifecyclePort & HeartbeatsPort>): void {
  describe(`heartbeats port: ${name}`, () => {
    const h = useHarness(open);

    it('stores heartbeats and returns the latest', async () => {
      const store = h.store();
      assert.equal(await store.readLastHeartbeat('cron'), undefined);
      await store.recordHeartbeat({ check: 'cron', at: T0, ok: true });
      await store.recordHeartbeat({ check: 'cron', at: T0 + 5000, ok: false, message: 'exit 1' });
      await store.recordHeartbeat({ check: 'cron', at: T0 + 1000, ok: true });
      assert.deepEqual(await store.readLastHeartbeat('cron'), { check: 'cron', at: T0 + 5000, ok: false, message: 'exit 1' });
    });
  });
}
