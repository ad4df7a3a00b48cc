/**
 * The results port on SQLite: a batch lands its raw results, rollup merges and states in one
 * write transaction; closed hours are then packed into blocks (result-table.ts) so the
 * row-per-result table only ever holds about one hour.
 * @module
 */
import { bucketStart, rollupsOf } from '../../domain/rollup.ts';
import type { CheckState } from '../../domain/status.ts';
import type { ResultsPort } from '../ports/results-port.ts';
import type { SqliteHandle } from './database.ts';
import type { NameTable } from './names.ts';
import { createResultTable } from './result-table.ts';
import { createRollupTable } from './rollup-table.ts';
import { saveStates } from './sqlite-states.ts';

/** How long after an hour ends its results are packed (late results are still accepted). */
const PACK_GRACE_MS = 5 * 60_000;

/** The results port on SQLite; `ready` migrates the file on first use. */
export function createSqliteResults(handle: SqliteHandle, names: NameTable, ready: () => void): ResultsPort {
  const results = createResultTable(handle, names);
  const rollups = createRollupTable(handle, names);
  /** Results older than this were already packed into hour blocks by this instance. */
  let packedBefore = Number.NEGATIVE_INFINITY;

  return {
    async recordResults(batch) {
      ready();
      if (!batch.results.length && !batch.states.length) return;
      const wanted = new Set<string>();
      for (const r of batch.results) {
        wanted.add(r.check);
        if (r.region !== undefined) wanted.add(r.region);
      }
      for (const s of batch.states) wanted.add(s.check);
      // interned outside the main transaction: names are never deleted, so this is harmless if
      // the batch then fails, and the id cache never holds an id that was rolled back
      const ids = names.ensure(wanted);
      let newest = Number.NEGATIVE_INFINITY;
      let written: Map<string, CheckState> | undefined;
      handle.write(() => {
        const inserted = results.insert(batch.results, ids);
        rollups.merge(rollupsOf(inserted), ids);
        written = saveStates(handle, batch.states, ids, batch.merge);
        for (const r of inserted) newest = Math.max(newest, r.at);
      });
      if (batch.merge && written) batch.states.forEach((state, i) => (batch.states[i] = written!.get(state.check) ?? state));
      // Pack closed hours into blocks once results are PACK_GRACE_MS past the hour's end, so
      // the row-per-result table only ever holds about one hour. Later stragglers still land as
      // rows and are merged into their block at the next packing.
      if (Number.isFinite(newest)) {
        const cutoff = bucketStart(newest - PACK_GRACE_MS, 'hour');
        if (cutoff > packedBefore) {
          results.compact(cutoff);
          packedBefore = cutoff;
        }
      }
    },

    async readRecentResults(check, { limit, before }) {
      ready();
      return results.readRecent(check, limit, before);
    },

    async readResults(check, from, to) {
      ready();
      return results.readRange(check, from, to);
    },

    async readRollups(checks, resolution, from, to) {
      ready();
      return rollups.read(checks, resolution, from, to);
    },

    async applyRetention(now, policy) {
      ready();
      return handle.write(() => ({
        rawDeleted: results.deleteBefore(now - policy.rawMs),
        hourlyDeleted: rollups.deleteBefore('hour', now - policy.hourlyMs),
        dailyDeleted: rollups.deleteBefore('day', now - policy.dailyMs),
      }));
    },
  };
}
