import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import { createManualClock } from '../kernel/clock.ts';
import { createPgPool, type PgPoolLike } from '../storage/postgres/pg-pool.ts';
import { createPostgresStore } from '../storage/postgres/postgres-store.ts';
import type { Store } from '../storage/store.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { claimLeaseMs, createClaimScheduleSource } from './claim-schedule-source.ts';

const check = (intervalMs: number, timeoutMs: number) => ({ intervalMs, timeoutMs }) as Check;

describe('claimLeaseMs', () => {
  it('covers the longest run when intervals are long', () => {
    assert.equal(claimLeaseMs([check(60_000, 10_000), check(300_000, 30_000)]), 31_000);
  });

  it('always ends before the shortest interval, so a dead owner’s checks move at their next slot', () => {
    assert.equal(claimLeaseMs([check(2_000, 1_000), check(60_000, 10_000)]), 1_800);
    for (const interval of [1_000, 2_000, 30_000]) assert.ok(claimLeaseMs([check(interval, interval)]) < interval);
  });
});

describe('claim schedule source on PostgreSQL', () => {
  let server: EmbeddedPostgres;
  let pool: PgPoolLike;
  const stores: Store[] = [];
  before(async () => {
    server = await startEmbeddedPostgres();
    pool = createPgPool(server.url, { max: 2 });
  });
  after(async () => {
    for (const store of stores) await store.close();
    await pool?.end();
    await server?.stop();
  });

  const named = (name: string, regions: string[], intervalMs: number, timeoutMs: number) =>
    ({ name, regions, quorum: 1, intervalMs, timeoutMs }) as unknown as Check;

  it('leases by the checks it claims: a short-interval agents-only check does not shorten the lease', async () => {
    const store = createPostgresStore({ url: server.url, maxConnections: 2 });
    stores.push(store);
    await store.migrate();
    const clock = createManualClock(Date.UTC(2026, 0, 10));
    const checks = [named('local-slow', ['local'], 60_000, 10_000), named('agents-fast', ['eu-west'], 2_000, 1_000)];
    const source = createClaimScheduleSource({ checks, store, clock, owner: 'one', concurrency: 4 });
    await source.sync();
    await clock.advance(61_000);
    const ran: string[] = [];
    await source.runRound(async (due) => {
      ran.push(...due.map((c) => c.name));
      return [];
    });
    assert.deepEqual(ran, ['local-slow']);
    const { rows } = await pool.query<{ lease: number }>(`SELECT lease_until - $1::int8 AS lease FROM schedule WHERE check_name = 'local-slow'`, [clock.now()]);
    assert.equal(rows[0]?.lease, 11_000, 'lease = the claimed check’s timeout + 1 s, not 0.9 × the agents-only interval');
  });

  /** A migrated store whose every claim is kept, so a test waits for the database instead of for time. */
  async function watchedStore() {
    const store = createPostgresStore({ url: server.url, maxConnections: 2 });
    stores.push(store);
    await store.migrate();
    const claims: Promise<unknown>[] = [];
    const watched: Pick<Store, 'syncSchedule' | 'claimDueChecks'> = {
      syncSchedule: (entries) => store.syncSchedule(entries),
      claimDueChecks(...args) {
        const claim = store.claimDueChecks(...args);
        claims.push(claim);
        return claim;
      },
    };
    return { claims, watched };
  }

  it('gives a finished check’s place back at once: a slow check holds only its own', async () => {
    const { claims, watched } = await watchedStore();
    const clock = createManualClock(Date.UTC(2026, 0, 11));
    const checks = Array.from({ length: 6 }, (_, i) => named(`svc-${i}`, ['local'], 60_000, 10_000));
    const source = createClaimScheduleSource({ checks, store: watched, clock, owner: 'one', concurrency: 4, minTickMs: 1_000, maxTickMs: 1_000, random: () => 0 });
    await source.sync();
    await clock.advance(61_000); // every check is due (the loop is not running yet)
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const finished: string[] = [];
    let slowName: string | undefined;
    await source.start(async (due) => {
      await Promise.all(due.map(async (check) => {
        ran.push(check.name);
        slowName ??= check.name; // the first check run is slow
        if (check.name === slowName) await slow;
        finished.push(check.name);
      }));
      return [];
    }, (error) => assert.fail(String(error)));
    await clock.advance(1_000);
    assert.equal(claims.length, 1, 'one claim per tick');
    await claims[0];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ran.length, 4, 'the first claim takes the 4 places');
    assert.equal(finished.length, 3, 'three runs ended, one is still going');
    await clock.advance(1_000);
    assert.equal(claims.length, 2, 'the next tick claims into the three places given back');
    await claims[1];
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual([...ran].sort(), checks.map((check) => check.name), 'the other two due checks ran while the slow one was still going');
    release();
    await source.stop();
    assert.equal(finished.length, 6);
  });

  it('claims again at once while a claim fills every free place, not at the next tick', async () => {
    const { claims, watched } = await watchedStore();
    await pool.query('DELETE FROM schedule'); // only this test's checks are due
    const clock = createManualClock(Date.UTC(2026, 0, 12));
    const checks = Array.from({ length: 6 }, (_, i) => named(`busy-${i}`, ['local'], 60_000, 10_000));
    const ran: string[] = [];
    const source = createClaimScheduleSource({ checks, store: watched, clock, owner: 'two', concurrency: 2, minTickMs: 1_000, maxTickMs: 1_000, random: () => 0 });
    await source.sync();
    await clock.advance(61_000);
    await source.start(async (due) => {
      ran.push(...due.map((check) => check.name));
      return [];
    }, (error) => assert.fail(String(error)));
    const settle = async () => {
      await claims.at(-1);
      await new Promise((resolve) => setImmediate(resolve));
    };
    await clock.advance(1_000);
    await settle();
    assert.equal(ran.length, 2, 'the first claim fills both places; four checks are still due');
    // 100 ms of clock, in steps, each step waiting for the database
    for (let step = 0; step < 4; step++) {
      await clock.advance(25);
      await settle();
    }
    assert.deepEqual([...ran].sort(), checks.map((check) => check.name), 'every due check claimed within 100 ms, not a tick (1 s) per two');
    await source.stop();
  });

  it('retries a failing claim at the tick pace, even right after a claim that filled every place', async () => {
    const { claims, watched } = await watchedStore();
    await pool.query('DELETE FROM schedule');
    const clock = createManualClock(Date.UTC(2026, 0, 13));
    const checks = Array.from({ length: 6 }, (_, i) => named(`down-${i}`, ['local'], 60_000, 10_000));
    let failing = false;
    const flaky: typeof watched = {
      syncSchedule: (entries) => watched.syncSchedule(entries),
      claimDueChecks: (...args) => (failing ? (claims.push(Promise.resolve()), Promise.reject(new Error('database unreachable'))) : watched.claimDueChecks(...args)),
    };
    const reported: string[] = [];
    const source = createClaimScheduleSource({ checks, store: flaky, clock, owner: 'three', concurrency: 2, minTickMs: 1_000, maxTickMs: 1_000, random: () => 0 });
    await source.sync();
    await clock.advance(61_000);
    await source.start(async () => [], (_error, context) => void reported.push(context.stage));
    const settle = async () => {
      await claims.at(-1);
      await new Promise((resolve) => setImmediate(resolve));
    };
    await clock.advance(1_000);
    await settle(); // a full claim: behind
    failing = true;
    await clock.advance(25);
    await settle(); // the next claim fails
    const afterFailure = claims.length;
    for (let step = 0; step < 8; step++) {
      await clock.advance(25);
      await settle();
    }
    assert.deepEqual(reported, ['claim round'], 'one failure logged');
    assert.equal(claims.length, afterFailure, 'no claim in the 200 ms after a failure');
    await clock.advance(1_000);
    await settle();
    assert.equal(claims.length, afterFailure + 1, 'retried at the next tick');
    await source.stop();
  });

  it('logs a failure the runs of one claim share (a group commit that failed) once, not once per run', async () => {
    const { claims, watched } = await watchedStore();
    await pool.query('DELETE FROM schedule');
    const clock = createManualClock(Date.UTC(2026, 0, 14));
    const checks = Array.from({ length: 4 }, (_, i) => named(`group-${i}`, ['local'], 60_000, 10_000));
    const source = createClaimScheduleSource({ checks, store: watched, clock, owner: 'four', concurrency: 4, minTickMs: 1_000, maxTickMs: 1_000, random: () => 0 });
    await source.sync();
    await clock.advance(61_000);
    const shared = new Error('commit failed');
    const ran: string[] = [];
    const reported: unknown[] = [];
    await source.start(async (due) => {
      ran.push(...due.map((check) => check.name));
      throw shared;
    }, (error) => void reported.push(error));
    await clock.advance(1_000);
    await claims[0];
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    await source.stop();
    assert.equal(ran.length, 4, 'each claimed check ran');
    assert.deepEqual(reported, [shared], 'one log line for the one failure');
  });
});
