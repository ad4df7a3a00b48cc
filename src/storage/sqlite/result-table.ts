/**
 * Raw results. Open hours live one row per result in `results_recent`; `compact()` moves closed
 * hours into one deflated block per check and hour (`result_blocks`), which is what keeps a
 * minute-interval check at a few bytes per result. Reads merge both and seek by (check, time).
 * @module
 */
import { RESOLUTION_MS } from '../../domain/rollup.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { SqliteHandle } from './database.ts';
import type { NameTable } from './names.ts';
import { decodeBlock, encodeBlock } from './block-codec.ts';
import { decodeSample, encodeResult, timingsFromColumns, timingsToColumns, type Sample, type SampleExtra } from './result-codec.ts';

const HOUR = RESOLUTION_MS.hour;

interface RecentRow {
  check_id: number;
  at: number;
  region_id: number;
  code: number;
  latency: number;
  http: number | null;
  t_dns: number | null;
  t_connect: number | null;
  t_tls: number | null;
  t_first_byte: number | null;
  t_total: number | null;
  extra: string | null;
}

interface BlockRow {
  hour: number;
  n: number;
  data: Uint8Array;
}

export interface ResultTable {
  /**
   * Inserts results (inside the caller's write transaction). Returns those actually inserted: an
   * exact duplicate (same check, time and region) is ignored, so retrying a batch never counts
   * twice in rollups.
   */
  insert(results: readonly CheckResult[], ids: ReadonlyMap<string, number>): CheckResult[];
  readRecent(check: string, limit: number, before?: number): CheckResult[];
  readRange(check: string, from: number, to: number): CheckResult[];
  /** Packs every recent row older than `cutoff` into hour blocks (own transaction); returns rows moved. */
  compact(cutoff: number): number;
  /** Deletes raw results older than `cutoff` (whole hours for packed blocks); returns how many. */
  deleteBefore(cutoff: number): number;
}

function rowToSample(row: RecentRow): Sample {
  return {
    at: row.at,
    regionId: row.region_id,
    code: row.code,
    latency: row.latency,
    http: row.http,
    timings: timingsFromColumns(row.code, row.latency, [row.t_dns, row.t_connect, row.t_tls, row.t_first_byte, row.t_total]),
    extra: row.extra === null ? undefined : (JSON.parse(row.extra) as SampleExtra),
  };
}

export function createResultTable(handle: SqliteHandle, names: NameTable): ResultTable {
  const toResult = (sample: Sample, check: string) =>
    decodeSample(sample, check, sample.regionId === 0 ? undefined : names.nameOf(sample.regionId));

  /** Samples of one check older than `before` from blocks, newest hour first, until `enough`. */
  const blocksBefore = (checkId: number, before: number, enough: number): Sample[] => {
    const select = handle.stmt(
      'SELECT hour, n, data FROM result_blocks WHERE check_id = ? AND hour < ? ORDER BY hour DESC LIMIT 8',
    );
    const out: Sample[] = [];
    let hour = Math.ceil(before / HOUR);
    while (out.length < enough) {
      const rows = select.all(checkId, hour) as BlockRow[];
      for (const row of rows) {
        for (const sample of decodeBlock(row.hour * HOUR, row.data)) if (sample.at < before) out.push(sample);
        hour = row.hour;
      }
      if (rows.length < 8) break;
    }
    return out;
  };

  return {
    insert(results, ids) {
      const insert = handle.stmt(
        `INSERT OR IGNORE INTO results_recent (check_id, at, region_id, code, latency, http,
           t_dns, t_connect, t_tls, t_first_byte, t_total, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const inserted: CheckResult[] = [];
      for (const result of results) {
        const checkId = ids.get(result.check);
        if (checkId === undefined) throw new Error(`check ${result.check} has no id`);
        const regionId = result.region === undefined ? 0 : ids.get(result.region);
        if (regionId === undefined) throw new Error(`region ${result.region} has no id`);
        const s = encodeResult(result, regionId);
        const extra = s.extra ? JSON.stringify(s.extra) : null;
        const changes = insert.run(checkId, s.at, s.regionId, s.code, s.latency, s.http, ...timingsToColumns(s), extra).changes;
        if (changes > 0) inserted.push(result);
      }
      return inserted;
    },

    readRecent(check, limit, before = Number.MAX_SAFE_INTEGER) {
      const checkId = names.lookup(check);
      if (checkId === undefined || limit <= 0) return [];
      // one snapshot: packing (maybe in another process) moves rows from recent to blocks
      const samples = handle.read(() => {
        const recent = (
          handle
            .stmt('SELECT * FROM results_recent WHERE check_id = ? AND at < ? ORDER BY at DESC LIMIT ?')
            .all(checkId, before, limit) as RecentRow[]
        ).map(rowToSample);
        if (recent.length >= limit) return recent;
        // blocks hold closed hours; a block may overlap late rows still in results_recent
        return [...recent, ...blocksBefore(checkId, before, limit)];
      });
      return samples
        .sort((a, b) => b.at - a.at || b.regionId - a.regionId)
        .slice(0, limit)
        .map((s) => toResult(s, check));
    },

    readRange(check, from, to) {
      const checkId = names.lookup(check);
      if (checkId === undefined || to <= from) return [];
      const samples = handle.read(() => {
        const recent = handle
          .stmt('SELECT * FROM results_recent WHERE check_id = ? AND at >= ? AND at < ? ORDER BY at')
          .all(checkId, from, to) as RecentRow[];
        const blocks = handle
          .stmt('SELECT hour, n, data FROM result_blocks WHERE check_id = ? AND hour >= ? AND hour < ? ORDER BY hour')
          .all(checkId, Math.floor(from / HOUR), Math.ceil(to / HOUR)) as BlockRow[];
        const packed = blocks.flatMap((b) => decodeBlock(b.hour * HOUR, b.data));
        return [...packed.filter((s) => s.at >= from && s.at < to), ...recent.map(rowToSample)];
      });
      return samples.sort((a, b) => a.at - b.at || a.regionId - b.regionId).map((s) => toResult(s, check));
    },

    compact(cutoff) {
      return handle.write(() => {
        // results_recent only holds the open hours (plus rare late rows), so this scan is small
        const rows = handle.stmt('SELECT * FROM results_recent WHERE at < ?').all(cutoff) as RecentRow[];
        if (!rows.length) return 0;
        const groups = new Map<string, { checkId: number; hour: number; samples: Sample[] }>();
        for (const row of rows) {
          const hour = Math.floor(row.at / HOUR);
          const key = `${row.check_id}:${hour}`;
          let group = groups.get(key);
          if (!group) groups.set(key, (group = { checkId: row.check_id, hour, samples: [] }));
          group.samples.push(rowToSample(row));
        }
        const existing = handle.stmt('SELECT hour, n, data FROM result_blocks WHERE check_id = ? AND hour = ?');
        const upsert = handle.stmt('INSERT OR REPLACE INTO result_blocks (check_id, hour, n, data) VALUES (?, ?, ?, ?)');
        for (const { checkId, hour, samples } of groups.values()) {
          const stored = existing.get(checkId, hour) as BlockRow | undefined;
          let all = samples;
          if (stored) {
            // a late row for an already packed hour: merge, the newer copy of a duplicate wins
            const byKey = new Map<string, Sample>();
            for (const s of [...decodeBlock(hour * HOUR, stored.data), ...samples]) byKey.set(`${s.at}:${s.regionId}`, s);
            all = [...byKey.values()];
          }
          upsert.run(checkId, hour, all.length, encodeBlock(hour * HOUR, all));
        }
        handle.stmt('DELETE FROM results_recent WHERE at < ?').run(cutoff);
        return rows.length;
      });
    },

    deleteBefore(cutoff) {
      let deleted = handle.stmt('DELETE FROM results_recent WHERE at < ?').run(cutoff).changes;
      // a block [h, h+1) is past retention once the hour ended at or before the cutoff. Blocks
      // are keyed (check_id, hour), so each statement seeks every interned id's range (SQLite
      // loops over the IN list). A statement per check and table from JavaScript was ~300,000
      // calls at 100,000 checks: 190 ms with the event loop blocked, and 14 MB more RSS after the
      // first run (36 ms and under 1 MB this way)
      const firstKept = Math.floor(cutoff / HOUR);
      deleted += handle.stmt('SELECT coalesce(sum(n), 0) FROM result_blocks WHERE check_id IN (SELECT id FROM names) AND hour < ?').pluck().get(firstKept) as number;
      handle.stmt('DELETE FROM result_blocks WHERE check_id IN (SELECT id FROM names) AND hour < ?').run(firstKept);
      return deleted;
    },
  };
}
