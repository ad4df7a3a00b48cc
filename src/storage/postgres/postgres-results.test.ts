import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../../domain/result.ts';
import type { Store } from '../store.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import { createPgPool, type PgPoolLike, type PgQueryResult, type PgRow } from './pg-pool.ts';
import { createPostgresStore } from './postgres-store.ts';

const T0 = Date.UTC(2026, 1, 1);
const HOUR = 3_600_000;

function httpResult(check: string, at: number, latencyMs: number): CheckResult {
  return {
    check,
    at,
    status: 'up',
    latencyMs,
    statusCode: 200,
    timings: { dns: 1, connect: 2.5, tls: 9, firstByte: latencyMs - 3, total: latencyMs },
  };
}

/** A real pool that remembers which statements went through it. */
function recordingPool(pool: PgPoolLike, seen: string[]): PgPoolLike {
  return {
    query<R extends PgRow = PgRow>(text: string, values?: unknown[]): Promise<PgQueryResult<R>> {
      seen.push(text);
      return pool.query<R>(text, values);
    },
    connect: () => pool.connect(),
    end: () => pool.end(),
  };
}

describe('postgres results: concurrency, routing, indexes, row size', () => {
  let server: EmbeddedPostgres;
  let admin: PgPoolLike;
  const stores: Store[] = [];
  before(async () => {
    server = await startEmbeddedPostgres();
    admin = createPgPool(server.url, { max: 2 });
    const store = createPostgresStore({ url: server.url, maxConnections: 3 });
    stores.push(store);
    await store.migrate();
  });
  after(async () => {
    for (const store of stores) await store.close();
    await admin.end();
    await server.stop();
  });

  it('merges rollups exactly when two instances record into the same buckets at once', async () => {
    const a = stores[0];
    const b = createPostgresStore({ url: server.url, maxConnections: 3 });
    stores.push(b);
    const checks = ['m1', 'm2', 'm3'];
    const batch = (n: number): CheckResult[] => checks.flatMap((check) => Array.from({ length: 10 }, (_, i) => httpResult(check, T0 + n * 1000 + i, 40 + i)));
    await Promise.all(Array.from({ length: 12 }, (_, n) => (n % 2 ? a : b).recordResults({ results: batch(n), states: [] })));
    const hourly = await a.readRollups(checks, 'hour', T0, T0 + HOUR);
    assert.deepEqual(hourly.map((r) => [r.check, r.count, r.ok]), checks.map((c) => [c, 120, 120]));
    for (const rollup of hourly) {
      assert.equal(rollup.histogram.reduce((x, y) => x + y, 0), 120);
      assert.equal(rollup.latencyMin, 40);
      assert.equal(rollup.latencyMax, 49);
    }
    assert.equal((await a.readResults('m2', T0, T0 + HOUR)).length, 120);
  });

  it('round-trips every optional result field', async () => {
    const full: CheckResult = {
      ...httpResult('full', T0 + 5, 123.456),
      failure: { class: 'tls', message: 'certificate expired' },
      details: { certExpiresAt: 1_800_000_000_000, answers: ['1.2.3.4'] },
      region: 'eu-west',
      inMaintenance: false,
      timings: { connect: 3, total: 123.456 },
    };
    await stores[0].recordResults({ results: [full], states: [] });
    assert.deepEqual(await stores[0].readRecentResults('full', { limit: 5 }), [full]);
  });

  it('never lets a state built on an older result replace a newer one', async () => {
    const newer = httpResult('order', T0 + 60_000, 10);
    const older = httpResult('order', T0, 10);
    await stores[0].recordResults({ results: [newer], states: [{ check: 'order', status: 'up', since: T0, streak: 0, lastResult: newer }] });
    await stores[0].recordResults({ results: [older], states: [{ check: 'order', status: 'down', since: T0, streak: 1, lastResult: older }] });
    const state = (await stores[0].readStates()).find((s) => s.check === 'order');
    assert.equal(state?.status, 'up');
    assert.deepEqual(state?.lastResult, newer);
  });

  it('sends page reads to the read pool and writes to the primary', async () => {
    const writes: string[] = [];
    const reads: string[] = [];
    const writePool = createPgPool(server.url, { max: 2 });
    const readPool = createPgPool(server.url, { max: 2 });
    const store = createPostgresStore({ url: server.url, pool: recordingPool(writePool, writes), readPool: recordingPool(readPool, reads) });
    await store.recordResults({ results: [httpResult('routed', T0, 10)], states: [] });
    const before = reads.length;
    assert.equal(before, 0, 'recording reads nothing through the read pool');
    await store.readStates();
    await store.readRollups(['routed'], 'hour', T0, T0 + HOUR);
    await store.readRecentResults('routed', { limit: 1 });
    await store.readResults('routed', T0, T0 + 1);
    await store.listIncidents();
    await store.getIncident('x');
    await store.readAlerts();
    await store.listNotifications();
    assert.equal(reads.length, 8);
    assert.ok(reads.every((sql) => /^\s*SELECT/i.test(sql)));
    await store.close();
    await writePool.end();
    await readPool.end();
  });

  it('reads recent results and rollups through indexes, whatever the history length', async () => {
    // 50k rows of history for one check, written straight in SQL to keep the test fast
    await stores[0].recordResults({ results: [httpResult('long', T0, 10)], states: [] });
    await admin.query(
      `INSERT INTO results (check_id, at, status, status_code, latency_ms)
       SELECT (SELECT id FROM checks WHERE name = 'long'), $1::int8 - g::int8 * 60000, 0, 200, 10 FROM generate_series(1, 50000) g`,
      [T0],
    );
    // and a year of daily rollups for 100 checks
    await admin.query(`INSERT INTO checks (name) SELECT 'bulk-' || g FROM generate_series(1, 100) g`);
    await admin.query(
      `INSERT INTO rollups (check_id, resolution, start, latency_sum, latency_min, latency_max, count, ok, http4xx, http429, http5xx, histogram)
       SELECT c.id, 1, $1::int8 - d::int8 * 86400000, 10, 1, 1, 1, 1, 0, 0, 0, '{1}'
         FROM checks c, generate_series(1, 365) d WHERE c.name LIKE 'bulk-%'`,
      [T0],
    );
    await admin.query('ANALYZE results');
    await admin.query('ANALYZE rollups');
    const plan = async (sql: string, values: unknown[]): Promise<string> =>
      (await admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values)).rows.map((row) => row['QUERY PLAN']).join('\n');
    const recent = await plan(
      `SELECT at FROM results WHERE check_id = (SELECT id FROM checks WHERE name = $1) ORDER BY at DESC LIMIT 50`,
      ['long'],
    );
    assert.match(recent, /Index (Only )?Scan Backward using results_check_at/);
    assert.doesNotMatch(recent, /Seq Scan on results/);
    const rollups = await plan(
      `SELECT r.* FROM rollups r JOIN checks c ON c.id = r.check_id WHERE c.name = ANY($1::text[]) AND r.resolution = 1 AND r.start >= $2 AND r.start < $3`,
      [['bulk-7', 'bulk-8'], T0 - 90 * 24 * HOUR, T0],
    );
    assert.doesNotMatch(rollups, /Seq Scan on rollups/);
  });

  it('keeps raw result rows compact', async () => {
    await stores[0].recordResults({ results: Array.from({ length: 200 }, (_, i) => httpResult('size', T0 + i * 1000, 80 + i)), states: [] });
    const { rows } = await admin.query<{ bytes: number }>(
      `SELECT avg(pg_column_size(r.*))::float8 AS bytes FROM results r WHERE check_id = (SELECT id FROM checks WHERE name = 'size')`,
    );
    const bytes = rows[0].bytes;
    // a tuple header alone is 24 bytes; an HTTP result with five timings stays well under 100
    assert.ok(bytes < 100, `average row ${bytes} bytes`);
  });
});
