/**
 * Results and rollups in PostgreSQL: one transaction per batch (results, rollup merges and the
 * batch's states, see postgres-states.ts) with set-based inserts (`unnest` of column arrays) and
 * `ON CONFLICT DO UPDATE` merges into the rollups; reads that walk only the (check, time) indexes.
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import { RESOLUTION_MS, rollupsOf, type Resolution, type Rollup } from '../../domain/rollup.ts';
import type { ResultBatch, ResultsPort, RetentionPolicy, RetentionReport } from '../ports/results-port.ts';
import type { CheckIds } from './check-ids.ts';
import { withTransaction, type PgPoolLike, type PgQueryable } from './pg-pool.ts';
import { decodeResult, encodeResult, type ResultRow } from './result-codec.ts';
import { notifyResults } from './result-notifications.ts';
import { saveStates } from './postgres-states.ts';

const RESOLUTION_CODE: Record<Resolution, number> = { hour: 0, day: 1 };
/** Rows per retention delete, so one run never holds a huge transaction. */
const DELETE_CHUNK = 10_000;

export interface ResultsDeps {
  write: PgPoolLike;
  read: PgQueryable;
  ids: CheckIds;
  /** When set, every batch is announced on LISTEN/NOTIFY inside its transaction. */
  announceOrigin?: string;
}

const RESULT_COLUMNS = 'at, latency_ms, status, status_code, extra';
const CHECK_ID = '(SELECT id FROM checks WHERE name = $1)';

async function insertResults(db: PgQueryable, ids: Map<string, number>, results: readonly CheckResult[]): Promise<void> {
  const cols = { check: [] as number[], at: [] as number[], status: [] as number[], code: [] as (number | null)[], latency: [] as number[], extra: [] as (string | null)[] };
  for (const result of results) {
    const row = encodeResult(result);
    cols.check.push(ids.get(result.check)!);
    cols.at.push(row.at);
    cols.status.push(row.status);
    cols.code.push(row.statusCode);
    cols.latency.push(row.latencyMs);
    cols.extra.push(row.extra);
  }
  await db.query(
    `INSERT INTO results (check_id, at, status, status_code, latency_ms, extra)
     SELECT * FROM unnest($1::int4[], $2::int8[], $3::int2[], $4::int2[], $5::float8[], $6::json[])`,
    [cols.check, cols.at, cols.status, cols.code, cols.latency, cols.extra],
  );
}

async function mergeRollups(db: PgQueryable, ids: Map<string, number>, rollups: Rollup[]): Promise<void> {
  // a fixed row order keeps concurrent writers from deadlocking on each other's buckets
  const keyed = rollups
    .map((rollup) => ({ id: ids.get(rollup.check)!, res: RESOLUTION_CODE[rollup.resolution], rollup }))
    .sort((a, b) => a.id - b.id || a.res - b.res || a.rollup.start - b.rollup.start);
  const column = <T>(pick: (r: Rollup) => T): T[] => keyed.map((k) => pick(k.rollup));
  await db.query(
    `INSERT INTO rollups AS r (check_id, resolution, start, count, ok, latency_sum, latency_min, latency_max, http4xx, http429, http5xx, histogram, degraded, maintenance)
     SELECT c, res, s, n, ok, lsum, lmin, lmax, h4, h429, h5, h::int4[], dg, mt
       FROM unnest($1::int4[], $2::int2[], $3::int8[], $4::int4[], $5::int4[], $6::float8[], $7::float8[], $8::float8[],
                   $9::int4[], $10::int4[], $11::int4[], $12::text[], $13::int4[], $14::int4[]) AS u(c, res, s, n, ok, lsum, lmin, lmax, h4, h429, h5, h, dg, mt)
      ORDER BY c, res, s
     ON CONFLICT (check_id, resolution, start) DO UPDATE SET
       count = r.count + excluded.count,
       ok = r.ok + excluded.ok,
       latency_sum = r.latency_sum + excluded.latency_sum,
       latency_min = least(r.latency_min, excluded.latency_min),
       latency_max = greatest(r.latency_max, excluded.latency_max),
       http4xx = r.http4xx + excluded.http4xx,
       http429 = r.http429 + excluded.http429,
       http5xx = r.http5xx + excluded.http5xx,
       degraded = r.degraded + excluded.degraded,
       maintenance = r.maintenance + excluded.maintenance,
       histogram = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                           FROM unnest(r.histogram, excluded.histogram) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`,
    [
      keyed.map((k) => k.id),
      keyed.map((k) => k.res),
      column((r) => r.start),
      column((r) => r.count),
      column((r) => r.ok),
      column((r) => r.latencySum),
      column((r) => r.latencyMin),
      column((r) => r.latencyMax),
      column((r) => r.http4xx),
      column((r) => r.http429),
      column((r) => r.http5xx),
      column((r) => `{${r.histogram.join(',')}}`),
      column((r) => r.degraded),
      column((r) => r.maintenance),
    ],
  );
}

function decodeRollup(row: Record<string, unknown>): Rollup {
  return {
    check: row.name as string,
    resolution: row.resolution === RESOLUTION_CODE.day ? 'day' : 'hour',
    start: row.start as number,
    count: row.count as number,
    ok: row.ok as number,
    latencySum: row.latency_sum as number,
    latencyMin: row.latency_min as number,
    latencyMax: row.latency_max as number,
    histogram: row.histogram as number[],
    http4xx: row.http4xx as number,
    http429: row.http429 as number,
    http5xx: row.http5xx as number,
    degraded: row.degraded as number,
    maintenance: row.maintenance as number,
  };
}

/** Deletes matching rows in chunks; returns how many went. */
async function deleteInChunks(db: PgQueryable, table: string, where: string, values: unknown[]): Promise<number> {
  let total = 0;
  for (let round = 0; round < 100_000; round++) {
    const { rowCount } = await db.query(
      `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${DELETE_CHUNK}))`,
      values,
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < DELETE_CHUNK) break;
  }
  return total;
}

/** The results port on PostgreSQL. */
export function createPostgresResults({ write, read, ids, announceOrigin }: ResultsDeps): ResultsPort {
  return {
    async recordResults(batch: ResultBatch) {
      if (!batch.results.length && !batch.states.length) return;
      const names = [...batch.results.map((r) => r.check), ...batch.states.map((s) => s.check)];
      const checkIds = await ids.resolve(names);
      let written: Map<string, CheckState> | undefined;
      await withTransaction(write, async (tx) => {
        if (batch.results.length) {
          await insertResults(tx, checkIds, batch.results);
          await mergeRollups(tx, checkIds, rollupsOf(batch.results));
        }
        if (batch.states.length) written = await saveStates(tx, checkIds, batch.states, batch.merge);
        if (announceOrigin !== undefined) {
          await notifyResults(tx, { checks: [...new Set(names)], at: Date.now(), origin: announceOrigin });
        }
      });
      // merged states were stored in place of the batch's: listeners after the writer see those
      if (batch.merge && written) batch.states.forEach((state, i) => (batch.states[i] = written!.get(state.check) ?? state));
    },

    async readRecentResults(check, { limit, before }) {
      const { rows } = before === undefined
        ? await read.query<ResultRow>(`SELECT ${RESULT_COLUMNS} FROM results WHERE check_id = ${CHECK_ID} ORDER BY at DESC LIMIT $2`, [check, limit])
        : await read.query<ResultRow>(
            `SELECT ${RESULT_COLUMNS} FROM results WHERE check_id = ${CHECK_ID} AND at < $3 ORDER BY at DESC LIMIT $2`,
            [check, limit, before],
          );
      return rows.map((row) => decodeResult(check, row));
    },

    async readResults(check, from, to) {
      const { rows } = await read.query<ResultRow>(
        `SELECT ${RESULT_COLUMNS} FROM results WHERE check_id = ${CHECK_ID} AND at >= $2 AND at < $3 ORDER BY at`,
        [check, from, to],
      );
      return rows.map((row) => decodeResult(check, row));
    },

    async readRollups(checks, resolution, from, to) {
      if (!checks.length) return [];
      const { rows } = await read.query(
        `SELECT c.name, r.* FROM rollups r JOIN checks c ON c.id = r.check_id
          WHERE c.name = ANY($1::text[]) AND r.resolution = $2 AND r.start >= $3 AND r.start < $4
          ORDER BY r.start, c.name`,
        [[...checks], RESOLUTION_CODE[resolution], from, to],
      );
      return rows.map(decodeRollup);
    },

    async applyRetention(now: number, policy: RetentionPolicy): Promise<RetentionReport> {
      const rawDeleted = await deleteInChunks(write, 'results', 'at < $1', [now - policy.rawMs]);
      // a bucket goes only once all of it is older than the window
      const rollupsBefore = (resolution: Resolution, keepMs: number) =>
        deleteInChunks(write, 'rollups', 'resolution = $1 AND start <= $2', [RESOLUTION_CODE[resolution], now - keepMs - RESOLUTION_MS[resolution]]);
      const hourlyDeleted = await rollupsBefore('hour', policy.hourlyMs);
      const dailyDeleted = await rollupsBefore('day', policy.dailyMs);
      return { rawDeleted, hourlyDeleted, dailyDeleted };
    },
  };
}
