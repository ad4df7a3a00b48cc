import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLiveStatusFacts } from './live-status-facts.ts';
import { loadStatusModel } from './load-status-model.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { subscribeStoreWriter } from '../engine/store-writer.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, testCheck } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Late on a day, so the results below cross into the next hour and the next day. */
const START = Date.UTC(2026, 2, 15, 23, 40, 0);
const CHECKS = [
  testCheck('Website'),
  testCheck('API', { group: 'Backend' }),
  testCheck('Database', { group: 'Backend' }),
  testCheck('Edge', { regions: ['eu', 'us'], quorum: 1 }),
];
const NAMES = CHECKS.map((c) => c.name);

/** A varied result: up, slow, down with 5xx or 429, or in maintenance; latency to the probes' 0.01 ms. */
function someResult(check: string, at: number, random: () => number, region?: string): CheckResult {
  const roll = random();
  const latencyMs = Math.round(random() * 300_000) / 100;
  if (roll < 0.08) return { check, at, region, status: 'down', latencyMs, statusCode: 503, failure: { class: 'status', message: '503' } };
  if (roll < 0.1) return { check, at, region, status: 'down', latencyMs, statusCode: 429, failure: { class: 'status', message: '429' } };
  if (roll < 0.18) return { check, at, region, status: 'degraded', latencyMs: latencyMs + 1500, statusCode: 200 };
  if (roll < 0.2) return { check, at, region, status: 'up', latencyMs, statusCode: 200, inMaintenance: true };
  return { check, at, region, status: 'up', latencyMs, statusCode: 200 };
}

/** Results of every check (both regions of Edge) at `at`, and the states after them. */
function batchAt(at: number, random: () => number): { results: CheckResult[]; states: CheckState[] } {
  const results: CheckResult[] = [];
  for (const name of NAMES) {
    if (name === 'Edge') results.push(someResult(name, at, random, 'eu'), someResult(name, at + 7, random, 'us'));
    else results.push(someResult(name, at, random));
  }
  const states = NAMES.map((name): CheckState => {
    const mine = results.filter((r) => r.check === name);
    const last = mine.at(-1)!;
    const regions = name === 'Edge' ? Object.fromEntries(mine.map((r) => [r.region!, { status: r.status, at: r.at, latencyMs: r.latencyMs }])) : undefined;
    return { check: name, status: last.status, since: last.at, lastResult: last, streak: 0, regions };
  });
  return { results, states };
}

/** History written straight to the store: 100 days (some before the 90-day window), a result per 3 h. */
async function seedHistory(store: EmbeddedStore, random: () => number): Promise<void> {
  for (let at = START - 100 * DAY; at < START - 2 * HOUR; at += 3 * HOUR) await store.recordResults(batchAt(at, random));
}

/** The store, counting the reads a model build makes of it. */
function counting(store: EmbeddedStore) {
  const reads: string[] = [];
  const counted = {
    readStates: () => (reads.push('states'), store.readStates()),
    readRollups: (...args: Parameters<EmbeddedStore['readRollups']>) => (reads.push(`rollups:${args[1]}`), store.readRollups(...args)),
    listIncidents: (...args: Parameters<EmbeddedStore['listIncidents']>) => (reads.push('incidents'), store.listIncidents(...args)),
  };
  return { counted, reads };
}

describe('live status facts', () => {
  it('build the same model as the store after the same results, across an hour and a day boundary, reading no store', async () => {
    const { store, cleanup } = await openTestStore();
    try {
      const random = seededRandom(17);
      await seedHistory(store, random);
      let now = START;
      const { counted, reads } = counting(store);
      const facts = createLiveStatusFacts({ store: counted, checks: CHECKS, now: () => now });
      await facts.load();
      const bus = createResultBus((error) => assert.fail(String(error)));
      subscribeStoreWriter(bus, store);
      bus.subscribe((event) => facts.apply(event));
      // 40 minutes of results every 30 s: past midnight into a new hour and day
      for (let i = 0; i < 80; i++) {
        now = START + i * 30_000;
        const batch = batchAt(now, random);
        await bus.publish(batch);
        // a batch holding several results of one check, newest first
        if (i % 7 === 5) {
          const several = [3, 2, 1].map((k) => someResult('API', now + k * 5_000, random));
          await bus.publish({ results: several, states: [{ check: 'API', status: several[0].status, since: several[0].at, lastResult: several[0], streak: 0 }] });
        }
        // a batch sent twice (an agent resending after a lost reply): stored once, counted once
        if (i % 25 === 3) await bus.publish(structuredClone(batch));
        if (i % 20 === 0 || i === 79) {
          reads.length = 0;
          const fromMemory = await loadStatusModel(facts.view, { checks: CHECKS }, now);
          assert.deepEqual(reads, ['incidents'], 'only incidents are read from the store');
          assert.deepEqual(fromMemory, await loadStatusModel(store, { checks: CHECKS }, now), `model at step ${i}`);
        }
      }
      // later, with no results in between: the windows roll forward (oldest day and hours drop out)
      now += 2 * DAY + 5 * HOUR;
      assert.deepEqual(await loadStatusModel(facts.view, { checks: CHECKS }, now), await loadStatusModel(store, { checks: CHECKS }, now));
    } finally {
      await cleanup();
    }
  });

  it('count a batch the start-up read already caught once, and re-read checks another instance wrote', async () => {
    const { store, cleanup } = await openTestStore();
    try {
      const random = seededRandom(7);
      await seedHistory(store, random);
      const now = START;
      const facts = createLiveStatusFacts({ store, checks: CHECKS, now: () => now });
      // written before the read, announced after it (the page bus runs after the store writer)
      const caught = batchAt(now - 60_000, random);
      await store.recordResults(caught);
      await facts.load();
      await facts.apply(caught);
      assert.deepEqual(await loadStatusModel(facts.view, { checks: CHECKS }, now), await loadStatusModel(store, { checks: CHECKS }, now));
      // another instance's batch: the relay announces the stored states and their last results only
      const elsewhere = batchAt(now - 30_000, random);
      await store.recordResults(elsewhere);
      const stored = (await store.readStates()).filter((s) => s.check === 'API' || s.check === 'Edge');
      const before = await loadStatusModel(facts.view, { checks: CHECKS }, now);
      assert.notDeepEqual(before, await loadStatusModel(store, { checks: CHECKS }, now), 'memory does not know the batch yet');
      await facts.apply({ results: stored.flatMap((s) => (s.lastResult ? [s.lastResult] : [])), states: stored, relayed: true });
      const after = await loadStatusModel(facts.view, { checks: CHECKS }, now);
      const fromStore = await loadStatusModel(store, { checks: CHECKS }, now);
      const of = (model: typeof after, name: string) => model.components.find((c) => c.name === name);
      for (const name of ['API', 'Edge']) assert.deepEqual(of(after, name), of(fromStore, name), `${name} re-read`);
    } finally {
      await cleanup();
    }
  });

  it("recompute only the checks that got results: a result for one check leaves the others' derived values as they were", async () => {
    const { store, cleanup } = await openTestStore();
    try {
      const random = seededRandom(23);
      await seedHistory(store, random);
      // 22:10, so an hour later is the same day
      let now = START - 90 * 60_000;
      const facts = createLiveStatusFacts({ store, checks: CHECKS, now: () => now });
      await facts.load();
      const bus = createResultBus((error) => assert.fail(String(error)));
      subscribeStoreWriter(bus, store);
      bus.subscribe((event) => facts.apply(event));
      const of = (model: Awaited<ReturnType<typeof loadStatusModel>>, name: string) => model.components.find((c) => c.name === name)!;
      const before = await loadStatusModel(facts.view, { checks: CHECKS }, now);
      // a down result for API only, in the same hour: its uptime and today's bar change
      now += 60_000;
      const down: CheckResult = { check: 'API', at: now, status: 'down', latencyMs: 900, statusCode: 503, failure: { class: 'status', message: '503' } };
      await bus.publish({ results: [down], states: [{ check: 'API', status: 'down', since: now, lastResult: down, streak: 1 }] });
      const after = await loadStatusModel(facts.view, { checks: CHECKS }, now);
      // served from memory, never stale: the same as the store's model
      assert.deepEqual(after, await loadStatusModel(store, { checks: CHECKS }, now));
      assert.notDeepEqual(of(after, 'API').uptime, of(before, 'API').uptime, 'the result counts');
      assert.notEqual(of(after, 'API').daily, of(before, 'API').daily, "API's bar is made again");
      assert.notDeepEqual(of(after, 'API').daily.at(-1), of(before, 'API').daily.at(-1));
      for (const name of ['Website', 'Database', 'Edge']) {
        assert.equal(of(after, name).daily, of(before, name).daily, `${name}'s bar is the one made before`);
        assert.equal(of(after, name).latency.summary24h, of(before, name).latency.summary24h, `${name}'s summary is the one made before`);
      }
      assert.throws(() => of(after, 'Website').daily.push(of(after, 'Website').daily[0]), TypeError, 'a shared bar cannot be changed by a reader');
      // the next hour of the same day, no results: every check's derived values move with the windows
      now += HOUR;
      const later = await loadStatusModel(facts.view, { checks: CHECKS }, now);
      assert.deepEqual(later, await loadStatusModel(store, { checks: CHECKS }, now));
      for (const name of NAMES) assert.notEqual(of(later, name).latency.summary24h, of(after, name).latency.summary24h, `${name} recomputed`);
    } finally {
      await cleanup();
    }
  });
});
