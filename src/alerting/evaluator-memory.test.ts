import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from './evaluator.ts';
import { alertsConfigSchema } from './alerts-config.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import { liveHeapAndBufferBytes as liveBytes } from '../../test/support/live-heap.ts';
import { testCheck } from '../../test/support/http-fixture.ts';

const CHECKS = 20_000;
const T0 = 1_780_000_000_000;

describe('alert evaluator memory', () => {
  it('keeps under 118 bytes per up check whose alert is OK, and none of its results (bytes after a full GC, not time)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-evaluator-memory-'));
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    try {
      const confirm = { downAfter: { count: 1, of: 1 }, upAfter: 1 };
      const checks: Check[] = Array.from({ length: CHECKS }, (_, i) => testCheck(`check-${i}`, { confirm, kind: 'tcp', timeoutMs: 1000, target: `check-${i}` }));
      // what the rest of the server holds anyway (the states) is made before the baseline and kept
      // alive after it, so only the evaluator's own bookkeeping is measured; the probe's results
      // (timings and details included) are the server's to drop once stored
      const states: CheckState[] = checks.map((check) => ({ check: check.name, status: 'up', since: T0 - 60_000, lastResult: { check: check.name, at: T0, status: 'up', latencyMs: 5 }, streak: 0 }));
      const probeResults = (): CheckResult[] =>
        checks.map((check) => ({ check: check.name, at: T0, status: 'up', latencyMs: 5.25, statusCode: 200, timings: { connect: 0.4, firstByte: 4.1, total: 5.25 }, details: { bodyBytes: 2 } }));
      // every check's `down` alert stored as OK (version 1), as after the first round of a running server
      const applied = await store.applyAlertTransitions(
        checks.map((check) => ({ record: { key: `down:${check.name}`, rule: 'down', check: check.name, state: 'OK', since: T0 - 60_000, evaluations: [false], version: 1 }, fromVersion: 0, notifications: [] })),
      );
      assert.equal(applied.filter(Boolean).length, CHECKS);
      await store.readAlerts();
      const alerts = alertsConfigSchema.parse({});
      // a macrotask first: the store's write above is still reachable from settled promise jobs until then
      await new Promise((resolve) => setTimeout(resolve, 10));
      const before = liveBytes();
      const evaluator = createEvaluator({ alerts, channels: {}, checks, store, now: () => T0 + 1, isInMaintenance: () => false });
      await evaluator.load();
      await evaluator.handle({ results: probeResults(), states });
      const perCheck = (liveBytes() - before) / CHECKS;
      // the round changed nothing: every alert is still OK at version 1
      const records = evaluator.records();
      assert.equal(records.length, CHECKS);
      assert.ok(records.every((record) => record.state === 'OK' && record.version === 1));
      t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
      // 147 bytes per check with rules, windows and dependency lists as a pointer per check, 121 with
      // a rule-list index and holes, 113 with the window length per rule list instead of per check;
      // keeping each check's latest result (read by the certificate rule alone) whole: 354; only where a rule reads it: 104
      assert.ok(perCheck < 118, `${perCheck.toFixed(0)} bytes per check held by the alert evaluator`);
      assert.equal(states.length, CHECKS);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
