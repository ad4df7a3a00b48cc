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
});
