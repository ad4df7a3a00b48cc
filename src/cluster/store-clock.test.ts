/**
 * Instances whose wall clocks are off, on real PostgreSQL: with the store clock, an instance
 * 8 s fast neither claims checks before their slot nor writes a healthy region as stale.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import type { CheckState } from '../domain/status.ts';
import { offsetClock, systemClock, type Clock } from '../kernel/clock.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { createSkewReporter } from '../kernel/clock-skew.ts';
import { createClaimScheduleSource } from '../engine/claim-schedule-source.ts';
import { createStoreStateAuthority } from '../engine/store-state-authority.ts';
import { subscribeStoreWriter } from '../engine/store-writer.ts';
import { createPgPool } from '../storage/postgres/pg-pool.ts';
import { createPostgresStore } from '../storage/postgres/postgres-store.ts';
import type { Store } from '../storage/store.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { createStoreClock, type StoreClock } from './store-clock.ts';

const FAST_MS = 8_000;

let server: EmbeddedPostgres;
let databases = 0;
const stores: Store[] = [];
const clocks: StoreClock[] = [];
before(async () => {
  server = await startEmbeddedPostgres();
});
after(async () => {
  for (const clock of clocks) clock.stop();
  for (const store of stores) await store.close();
  await server?.stop();
});

/** A fresh database; returns a function opening one more instance's store on it. */
async function database(): Promise<() => Promise<Store>> {
  const name = `clock_${++databases}`;
  const admin = createPgPool(server.url, { max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  let migrated = false;
  return async () => {
    const store = createPostgresStore({ url: url.href, maxConnections: 2 });
    stores.push(store);
    if (!migrated) await store.migrate();
    migrated = true;
    return store;
  };
}

/** The instance's clock as cluster mode wires it: its own, corrected by the database's. */
async function instanceClock(own: Clock, store: Store): Promise<Clock> {
  const clock = createStoreClock({ base: own, readClock: () => store.readClock() });
  clocks.push(clock);
  await clock.start();
  return clock;
}

const check = (name: string, intervalMs: number, regions = ['local']) =>
  ({ name, regions, quorum: 1, intervalMs, timeoutMs: Math.min(intervalMs, 5_000), confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 } }) as unknown as Check;

describe('store clock (cluster instances with skewed wall clocks)', () => {
  it('measures an instance 8 s fast at about −8 s and warns once', async () => {
    const open = await database();
    const store = await open();
    const warnings: object[] = [];
    const gauge: number[] = [];
    const skew = createSkewReporter({ logger: { warn: (details) => warnings.push(details) }, observe: (_, ms) => gauge.push(ms), now: () => Date.now() });
    const clock = createStoreClock({
      base: offsetClock(systemClock, FAST_MS),
      readClock: () => store.readClock(),
      onOffset: (ms) => skew.record({ kind: 'instance', name: 'fast-1' }, ms),
    });
    const offset = await clock.sync();
    await clock.sync();
    assert.ok(Math.abs(offset + FAST_MS) < 1_000, `offset ${offset} ms`);
    assert.equal(gauge.length, 2, 'every measurement reaches the gauge');
    assert.equal(warnings.length, 1, 'warned once while the offset stays the same');
    assert.equal((warnings[0] as { instance?: string }).instance, 'fast-1');
    assert.ok(Math.abs(clock.now() - (await store.readClock())) < 1_000, 'the corrected clock reads the database’s time');
  });

  it('an instance 8 s fast claims no check before its slot', async () => {
    const open = await database();
    const checks = Array.from({ length: 20 }, (_, i) => check(`c${i}`, 1_000));
    const claims = { fast: 0, true: 0 };
    // how far ahead of the true time (this machine's, which the database shares) each claimed slot lay
    let latestAheadMs = -Infinity;
    const sources = await Promise.all(
      (['true', 'fast'] as const).map(async (owner) => {
        const store = await open();
        const own = owner === 'fast' ? offsetClock(systemClock, FAST_MS) : systemClock;
        const clock = await instanceClock(own, store);
        const watched: Pick<Store, 'syncSchedule' | 'claimDueChecks'> = {
          syncSchedule: (entries) => store.syncSchedule(entries),
          async claimDueChecks(...args) {
            const claimed = await store.claimDueChecks(...args);
            const trueNow = Date.now();
            for (const claim of claimed) latestAheadMs = Math.max(latestAheadMs, claim.dueAt - trueNow);
            claims[owner] += claimed.length;
            return claimed;
          },
        };
        return createClaimScheduleSource({ checks, store: watched, clock, owner, concurrency: 100 });
      }),
    );
    await Promise.all(sources.map((source) => source.start(async () => [], (error) => assert.fail(String(error)))));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await Promise.all(sources.map((source) => source.stop()));
    const total = claims.fast + claims.true;
    console.log(`claims: fast instance ${claims.fast} of ${total}; latest slot claimed ${latestAheadMs} ms ahead of true time`);
    assert.ok(total >= 40, `enough claims to judge: ${total}`);
    // the clock correction is measured over a round trip, so allow well under one interval of error
    assert.ok(latestAheadMs < 500, `a slot ${latestAheadMs} ms in the future was claimed`);
  });

  it('an instance 8 s fast does not write a healthy region as stale', async () => {
    const open = await database();
    const store = await open();
    const bus = createResultBus((error) => {
      throw error;
    });
    subscribeStoreWriter(bus, store);
    const clock = await instanceClock(offsetClock(systemClock, FAST_MS), store);
    const multi = check('multi', 10_000, ['eu-west', 'us-east']);
    // both regions reported 25 s ago by the database's clock: fresh (stale after 3 × 10 s)
    const at = (await store.readClock()) - 25_000;
    const healthy: CheckState = {
      check: 'multi',
      status: 'up',
      since: at,
      streak: 0,
      lastResult: { check: 'multi', at, status: 'up', latencyMs: 5, region: 'eu-west' },
      regions: { 'eu-west': { status: 'up', at, latencyMs: 5 }, 'us-east': { status: 'up', at, latencyMs: 5 } },
    };
    await store.recordResults({ results: [], states: [healthy] });
    const authority = createStoreStateAuthority({ bus, store, now: () => clock.now() });
    await authority.start();
    assert.ok(authority.sweepStale, 'the store authority sweeps stale regions');
    await authority.sweepStale([multi], clock.now());
    await authority.stop();
    const stored = (await store.readStates()).find((s) => s.check === 'multi');
    assert.deepEqual(
      Object.values(stored?.regions ?? {}).map((region) => region.status),
      ['up', 'up'],
      'no region written as stale',
    );
    assert.equal(stored?.status, 'up');
  });
});
