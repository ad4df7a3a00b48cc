/**
 * What the engine and the memory state authority hold per check, in bytes after a full GC
 * (never time): the per-check states are the floor; name indexes, compiled-condition lists and
 * confirmation histories for checks that need none are what this guards against.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import { createManualClock } from '../kernel/clock.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { createEngine } from './engine.ts';
import { createMemoryStateAuthority } from './memory-state-authority.ts';
import { liveHeapAndBufferBytes as liveBytes } from '../../test/support/live-heap.ts';
import { createEvaluator } from '../alerting/evaluator.ts';
import { alertsConfigSchema } from '../alerting/alerts-config.ts';

/** Runs `body` with a migrated SQLite store in a temporary folder, seeded with one tcp check per name. */
async function withSeededStore(names: readonly string[], body: (store: ReturnType<typeof createSqliteStore>, checks: Check[]) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-engine-memory-'));
  const store = createSqliteStore({ path: join(dir, 'upstate.db') });
  try {
    await store.migrate();
    const checks = tcpChecks(names);
    await seedStore(store, checks);
    await body(store, checks);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One tcp check per name, sharing the small objects every check of a config shares. */
function tcpChecks(names: readonly string[]): Check[] {
  const confirm = { downAfter: { count: 1, of: 1 }, upAfter: 1 };
  const regions = ['local'];
  const conditions: string[] = [];
  return names.map((name, i) => ({ name, kind: 'tcp', intervalMs: 60_000, timeoutMs: 1_000, conditions, probe: {}, target: `t${i}`, regions, quorum: 1, confirm }));
}

/**
 * One result per check as the http probe makes them (timings and details included), made after a
 * baseline and dropped after the commit like the probe's results, so a figure counts what the
 * states keep of them.
 */
function probeResults(checks: readonly Check[], at: number): CheckResult[] {
  return checks.map((check) => ({
    check: check.name, at, status: 'up', latencyMs: 3.25, statusCode: 200,
    timings: { connect: 0.41, firstByte: 2.8, total: 3.25 }, details: { bodyBytes: 2 },
  }));
}

/** A memory state authority seeded from `store`, after committing a result per check, and the live bytes per check it added. */
async function seededAuthority(store: ReturnType<typeof createSqliteStore>, checks: Check[]) {
  const clock = createManualClock(1_060_000);
  const before = liveBytes();
  const authority = createMemoryStateAuthority({ bus: createResultBus(), clock, seed: { store, checks } });
  await authority.start();
  await authority.commit(checks, probeResults(checks, 1_060_000));
  await authority.flush();
  return { authority, perCheck: (liveBytes() - before) / checks.length };
}

/** Stores a state for every check, then reads them once, so the store's own caches are filled before a baseline. */
async function seedStore(store: ReturnType<typeof createSqliteStore>, checks: readonly Check[]): Promise<void> {
  const results: CheckResult[] = checks.map((check) => ({ check: check.name, at: 1_000_000, status: 'up', latencyMs: 3 }));
  await store.recordResults({ results, states: checks.map((check) => ({ check: check.name, status: 'up', since: 1_000_000, streak: 0 })) });
  await store.readStates();
}

describe('engine memory', () => {
  it('holds under 250 bytes per check once every check has a state and its last result (20,000 checks)', async (t) => {
    const count = 20_000;
    const checks = tcpChecks(Array.from({ length: count }, (_, i) => `check-${i}`));
    const clock = createManualClock(1_000_000);
    const bus = createResultBus();
    const before = liveBytes();
    const authority = createMemoryStateAuthority({ bus, clock });
    const engine = createEngine({
      checks, concurrency: 4, probes: {} as ProbeRegistry, clock, lastHeartbeat: async () => undefined,
      logger: { error: () => {} }, authority,
    });
    await engine.start();
    await authority.commit(checks, probeResults(checks, 1_000_000));
    await authority.flush();
    const perCheck = (liveBytes() - before) / count;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
    assert.equal(engine.stateOf('check-7')?.status, 'up');
    assert.deepEqual(engine.stateOf('check-7')?.lastResult, { check: 'check-7', at: 1_000_000, status: 'up', latencyMs: 3.25, statusCode: 200 });
    await engine.stop();
    // with the probe's whole result kept as the last result (timings and details): 339 bytes; its
    // slice the page reads: 197
    assert.ok(perCheck < 250, `${perCheck.toFixed(0)} bytes per check held by the engine and its state authority`);
  });

  it('keeps no copy of the check names it read from the store once every check has a new state', async (t) => {
    const count = 5_000;
    // long names, so a second copy of each is plain in the figure (~316 bytes a name)
    await withSeededStore(Array.from({ length: count }, (_, i) => `${'n'.repeat(300)}-${i}`), async (store, checks) => {
      const { authority, perCheck } = await seededAuthority(store, checks);
      t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
      assert.equal(authority.stateOf(checks[9].name)?.lastResult?.at, 1_060_000);
      await authority.stop();
      assert.ok(perCheck < 350, `${perCheck.toFixed(0)} bytes per check held by the state authority`);
    });
  });

  it('keeps the states by check position, on the index the alert evaluator already holds (20,000 checks)', async (t) => {
    const count = 20_000;
    await withSeededStore(Array.from({ length: count }, (_, i) => `check-${i}`), async (store, checks) => {
      // the server's evaluator exists anyway, with its index of the checks
      const evaluator = createEvaluator({ alerts: alertsConfigSchema.parse({}), channels: {}, checks, store, now: () => 1_060_000, isInMaintenance: () => false });
      const { authority, perCheck } = await seededAuthority(store, checks);
      t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
      assert.equal(authority.stateOf('check-9')?.lastResult?.at, 1_060_000);
      assert.equal(authority.stateOf('no-such-check'), undefined);
      assert.equal(evaluator.records().length, 0);
      await authority.stop();
      // a state and its last result's slice by position on the shared index: 121–168 bytes per check
      // over runs (what V8 makes of the same objects varies with the run's allocation order); a Map
      // by name of its own added 88–170 bytes, the Map's growth deciding, and the probe's whole
      // result as the last result ~140
      assert.ok(perCheck < 200, `${perCheck.toFixed(0)} bytes per check held by the state authority`);
    });
  });
});
