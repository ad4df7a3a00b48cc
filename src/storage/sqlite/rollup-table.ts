/**
 * Hourly and daily rollups: merge-on-write inside the caller's transaction, indexed reads by
 * (check, bucket), retention per check so every statement uses the primary key.
 * @module
 */
import { RESOLUTION_MS, type Resolution, type Rollup } from '../../domain/rollup.ts';
import { mergeRollup } from '../../domain/rollup.ts';
import type { SqliteHandle } from './database.ts';
import type { NameTable } from './names.ts';
import { packHistogram, unpackHistogram } from './rollup-codec.ts';

const TABLE: Record<Resolution, string> = { hour: 'rollups_hour', day: 'rollups_day' };

/**
 * Latency columns hold integer hundredths of a millisecond (the probes' precision): SQLite then
 * stores each in 1–4 bytes instead of an 8-byte REAL, a fifth of every rollup row.
 */
const LATENCY_SCALE = 100;
const toColumn = (ms: number) => Math.round(ms * LATENCY_SCALE);
const fromColumn = (v: number) => v / LATENCY_SCALE;

interface RollupRow {
  check_id: number;
  bucket: number;
  count: number;
  ok: number;
  latency_sum: number;
  latency_min: number | null;
  latency_max: number;
  histogram: Uint8Array;
  http4xx: number;
  http429: number;
  http5xx: number;
  degraded: number;
  maintenance: number;
}

/** A rollup row as `.raw()` returns it, in the SELECT order of `read`. */
type RawRollupRow = [
  bucket: number,
  count: number,
  ok: number,
  latencySum: number,
  latencyMin: number | null,
  latencyMax: number,
  histogram: Uint8Array,
  http4xx: number,
  http429: number,
  http5xx: number,
  degraded: number,
  maintenance: number,
];

function fromRaw(r: RawRollupRow, check: string, resolution: Resolution, size: number): Rollup {
  return {
    check,
    resolution,
    start: r[0] * size,
    count: r[1],
    ok: r[2],
    latencySum: fromColumn(r[3]),
    latencyMin: r[4] === null ? Number.POSITIVE_INFINITY : fromColumn(r[4]),
    latencyMax: fromColumn(r[5]),
    histogram: unpackHistogram(r[6]),
    http4xx: r[7],
    http429: r[8],
    http5xx: r[9],
    degraded: r[10],
    maintenance: r[11],
  };
}

export interface RollupTable {
  /** Merges partial rollups into the stored ones; call inside a write transaction. */
  merge(rollups: readonly Rollup[], ids: ReadonlyMap<string, number>): void;
  read(checks: readonly string[], resolution: Resolution, from: number, to: number): Rollup[];
  /** Deletes buckets that ended at or before `cutoff`; returns how many. */
  deleteBefore(resolution: Resolution, cutoff: number): number;
}

function toRollup(row: RollupRow, check: string, resolution: Resolution): Rollup {
  return {
    check,
    resolution,
    start: row.bucket * RESOLUTION_MS[resolution],
    count: row.count,
    ok: row.ok,
    latencySum: fromColumn(row.latency_sum),
    latencyMin: row.latency_min === null ? Number.POSITIVE_INFINITY : fromColumn(row.latency_min),
    latencyMax: fromColumn(row.latency_max),
    histogram: unpackHistogram(row.histogram),
    http4xx: row.http4xx,
    http429: row.http429,
    http5xx: row.http5xx,
    degraded: row.degraded,
    maintenance: row.maintenance,
  };
}

export function createRollupTable(handle: SqliteHandle, names: NameTable): RollupTable {
  return {
    merge(rollups, ids) {
      for (const partial of rollups) {
        const table = TABLE[partial.resolution];
        const checkId = ids.get(partial.check);
        if (checkId === undefined) throw new Error(`check ${partial.check} has no id`);
        const bucket = Math.floor(partial.start / RESOLUTION_MS[partial.resolution]);
        const stored = handle
          .stmt(`SELECT * FROM ${table} WHERE check_id = ? AND bucket = ?`)
          .get(checkId, bucket) as RollupRow | undefined;
        const merged = stored ? mergeRollup(toRollup(stored, partial.check, partial.resolution), partial) : partial;
        handle
          .stmt(
            `INSERT OR REPLACE INTO ${table} (check_id, bucket, count, ok, latency_sum, latency_min, latency_max,
               histogram, http4xx, http429, http5xx, degraded, maintenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            checkId,
            bucket,
            merged.count,
            merged.ok,
            toColumn(merged.latencySum),
            Number.isFinite(merged.latencyMin) ? toColumn(merged.latencyMin) : null,
            toColumn(merged.latencyMax),
            packHistogram(merged.histogram),
            merged.http4xx,
            merged.http429,
            merged.http5xx,
            merged.degraded,
            merged.maintenance,
          );
      }
    },

    read(checks, resolution, from, to) {
      const size = RESOLUTION_MS[resolution];
      // from <= bucket*size < to, in whole buckets
      const first = Math.ceil(from / size);
      const end = Math.ceil(to / size);
      // Raw (array) rows and named columns: the page reads ~170 rows per check, and building a
      // keyed object per row before the Rollup itself doubled the cost of this read.
      const select = handle
        .stmt(
          `SELECT bucket, count, ok, latency_sum, latency_min, latency_max, histogram, http4xx, http429, http5xx, degraded, maintenance
             FROM ${TABLE[resolution]} WHERE check_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
        )
        .raw(true);
      const out: Rollup[] = [];
      for (const check of new Set(checks)) {
        const id = names.lookup(check);
        if (id === undefined) continue;
        for (const row of select.all(id, first, end) as RawRollupRow[]) out.push(fromRaw(row, check, resolution, size));
      }
      // oldest first across checks; stable, so checks keep the caller's order within a bucket
      return out.sort((a, b) => a.start - b.start);
    },

    deleteBefore(resolution, cutoff) {
      const size = RESOLUTION_MS[resolution];
      // a bucket [b*size, (b+1)*size) is past retention once it ended at or before the cutoff;
      // one statement seeks each interned id's range by the primary key (check_id, bucket)
      const firstKept = Math.floor(cutoff / size);
      const deleted = handle.stmt(`DELETE FROM ${TABLE[resolution]} WHERE check_id IN (SELECT id FROM names) AND bucket < ?`).run(firstKept).changes;
      return deleted;
    },
  };
}
