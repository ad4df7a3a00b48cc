/**
 * Check states in PostgreSQL, one row per check id. They are written only with their results,
 * inside the results transaction (`saveStates`, called by postgres-results.ts); the port reads.
 * Writers that may race (cluster instances) merge under a row lock (`ResultBatch.merge`).
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import type { StateMerge } from '../ports/results-port.ts';
import type { PgQueryable } from './pg-pool.ts';

/**
 * Upserts states inside the caller's transaction. With `merge`, each check's row is locked first
 * and the stored state merged with the new one (see `ResultBatch.merge`), and the merged states
 * are returned (per check); without it, an older state never replaces a newer one.
 */
export async function saveStates(
  db: PgQueryable,
  ids: Map<string, number>,
  states: readonly CheckState[],
  merge?: StateMerge,
): Promise<Map<string, CheckState>> {
  // one row per check (the last one wins), in id order so concurrent writers never deadlock
  // on each other's rows (rollups are ordered the same way in postgres-results.ts)
  const byId = new Map<number, CheckState>();
  for (const state of states) byId.set(ids.get(state.check)!, state);
  let rows = [...byId.entries()].sort((a, b) => a[0] - b[0]);
  if (merge) rows = await mergeLocked(db, rows, merge);
  // instances commit in any order: a state built on an older result never replaces a newer one
  // (merged states were built under the row lock, so they always replace)
  await db.query(
    `INSERT INTO check_states AS cs (check_id, status, since, streak, last_result, regions, last_failure)
     SELECT * FROM unnest($1::int4[], $2::text[], $3::int8[], $4::int4[], $5::json[], $6::json[], $7::json[])
     ON CONFLICT (check_id) DO UPDATE SET
       status = excluded.status, since = excluded.since, streak = excluded.streak, last_result = excluded.last_result,
       regions = excluded.regions, last_failure = excluded.last_failure
     WHERE $8 OR cs.last_result IS NULL OR excluded.last_result IS NULL
        OR (excluded.last_result->>'at')::int8 >= (cs.last_result->>'at')::int8`,
    [
      rows.map(([id]) => id),
      rows.map(([, s]) => s.status),
      rows.map(([, s]) => s.since),
      rows.map(([, s]) => s.streak),
      rows.map(([, s]) => (s.lastResult ? JSON.stringify(s.lastResult) : null)),
      rows.map(([, s]) => (s.regions ? JSON.stringify(s.regions) : null)),
      rows.map(([, s]) => (s.lastFailure ? JSON.stringify(s.lastFailure) : null)),
      merge !== undefined,
    ],
  );
  return new Map(rows.map(([, state]) => [state.check, state]));
}

/**
 * Locks the rows of `rows` (creating a placeholder for a check without one, so a first state is
 * locked too) in id order, and merges each new state with the stored one. Two instances writing
 * different regions of one check wait for each other here instead of each replacing the row
 * with its own read of it.
 */
async function mergeLocked(db: PgQueryable, rows: [number, CheckState][], merge: StateMerge): Promise<[number, CheckState][]> {
  const idList = rows.map(([id]) => id);
  await db.query(
    `INSERT INTO check_states (check_id, status, since, streak)
     SELECT id, 'unknown', 0, 0 FROM unnest($1::int4[]) AS u(id) ORDER BY id
     ON CONFLICT (check_id) DO NOTHING`,
    [idList],
  );
  const { rows: locked } = await db.query(
    `SELECT check_id, status, since, streak, last_result, regions, last_failure
       FROM check_states WHERE check_id = ANY($1::int4[]) ORDER BY check_id FOR UPDATE`,
    [idList],
  );
  const stored = new Map(locked.map((row) => [row.check_id as number, row]));
  return rows.map(([id, state]) => {
    const row = stored.get(id);
    // a placeholder this transaction (or a rolled-back one) inserted is no state at all
    const previous = row && (row.last_result || row.regions || Number(row.since) !== 0) ? decodeState(state.check, row) : undefined;
    return [id, merge(previous, state)];
  });
}

function decodeState(name: string, row: Record<string, unknown>): CheckState {
  const state: CheckState = { check: name, status: row.status as CheckState['status'], since: Number(row.since), streak: row.streak as number };
  if (row.last_result) state.lastResult = row.last_result as CheckResult;
  if (row.regions) state.regions = row.regions as CheckState['regions'];
  if (row.last_failure) state.lastFailure = row.last_failure as CheckState['lastFailure'];
  return state;
}

/** The states port on PostgreSQL; reads may go to the read pool. */
export function createPostgresStates({ read }: { read: PgQueryable }): StatesPort {
  return {
    async readStates(checks) {
      if (checks && !checks.length) return [];
      // by name through checks' unique index: the rows read follow the names asked for, not the table
      const select = `SELECT c.name, s.status, s.since, s.streak, s.last_result, s.regions, s.last_failure
                        FROM check_states s JOIN checks c ON c.id = s.check_id`;
      const { rows } = checks
        ? await read.query(`${select} WHERE c.name = ANY($1::text[]) ORDER BY c.name`, [checks])
        : await read.query(`${select} ORDER BY c.name`);
      return rows.map((row) => decodeState(row.name as string, row));
    },
  };
}
