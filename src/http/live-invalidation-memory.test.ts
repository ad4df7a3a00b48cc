import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLiveInvalidation } from './live-invalidation.ts';
import { createResponseCache } from './response-cache.ts';
import { createEvaluator } from '../alerting/evaluator.ts';
import { alertsConfigSchema } from '../alerting/alerts-config.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { Check } from '../domain/check.ts';
import type { CheckState } from '../domain/status.ts';
import { liveHeapBytes } from '../../test/support/live-heap.ts';
import { testCheck } from '../../test/support/http-fixture.ts';

const CHECKS = 20_000;
const T0 = 1_780_000_000_000;

describe('live invalidation memory', () => {
  it('keeps the shown statuses by check position, on the index the alert evaluator already holds (bytes after a full GC, not time)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-live-memory-'));
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    try {
      const checks: Check[] = Array.from({ length: CHECKS }, (_, i) => testCheck(`check-${i}`, { kind: 'tcp', timeoutMs: 1000, target: `check-${i}` }));
      const states: CheckState[] = checks.map((check) => ({ check: check.name, status: 'up', since: T0, streak: 0 }));
      // a server's evaluator for the same config exists before the page does
      const evaluator = createEvaluator({ alerts: alertsConfigSchema.parse({}), channels: {}, checks, store, now: () => T0, isInMaintenance: () => false });
      const cache = createResponseCache({ ttlMs: 60_000, liveRefreshMs: 10_000, now: () => T0 });
      const before = liveHeapBytes();
      const live = createLiveInvalidation(cache, checks);
      assert.equal(live.onBatch({ results: [], states }), true, 'nothing was shown yet: every status is a change');
      const perCheck = (liveHeapBytes() - before) / CHECKS;
      t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
      assert.equal(live.onBatch({ results: [], states }), false, 'the same statuses again change nothing');
      assert.equal(live.onBatch({ results: [], states: [{ ...states[7], status: 'down' }] }), true);
      assert.equal(evaluator.records().length, 0);
      // a Map by check name of its own: 46 bytes per check; a slot by position: 8
      assert.ok(perCheck < 20, `${perCheck.toFixed(0)} bytes per check held by live invalidation`);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
