/**
 * Check states in PostgreSQL, one row per check id. They are written only with their results,
 * inside the results transaction (`saveStates`, called by postgres-results.ts); the port reads.
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import type { PgQueryable } from './pg-pool.ts';

/** Upserts states inside the caller's transaction; an older state never replaces a newer one. */
export async function saveStates(db: PgQueryable, ids: Map<string, number>, states: readonly CheckState[]): Promise<void> {
  // one row per check (the last one wins), in id order so concurrent writers never deadlock
  // on each other's rows (rollups are ordered the same way in postgres-results.ts)
  const byId = new Map<number, CheckState>();
  for (const state of states) byId.set(ids.get(state.check)!, state);
  const rows = [...byId.entries()].sort((a, b) => a[0] - b[0]);
  // instances commit in any order: a state built on an older result never replaces a newer one
  await db.query(
    `INSERT INTO check_states AS cs (check_id, status, since, streak, last_result, regions, last_failure)
     SELECT * FROM unnest($1::int4[], $2::text[], $3::int8[], $4::int4[], $5::json[], $6::json[], $7::json[])
     ON CONFLICT (check_id) DO UPDATE SET
       status = excluded.status, since = excluded.since, streak = excluded.streak, last_result = excluded.last_result,
       regions = excluded.regions, last_failure = excluded.last_failure
     WHERE cs.last_result IS NULL OR excluded.last_result IS NULL
        OR (excluded.last_result->>'at')::int8 >= (cs.last_result->>'at')::int8`,
    [
      rows.map(([id]) => id),
      rows.map(([, s]) => s.status),
      rows.map(([, s]) => s.since),
      rows.map(([, s]) => s.streak),
      rows.map(([, s]) => (s.lastResult ? JSON.stringify(s.lastResult) : null)),
      rows.map(([, s]) => (s.regions ? JSON.stringify(s.regions) : null)),
      rows.map(([, s]) => (s.lastFailure ? JSON.stringify(s.lastFailure) : null)),
    ],
  );
}

/** The states port on PostgreSQL; reads may go to the read pool. */
export function createPostgresStates({ read }: { read: PgQueryable }): StatesPort {
  return {
    async readStates() {
      const { rows } = await read.query(
        `SELECT c.name, s.status, s.since, s.streak, s.last_result, s.regions, s.last_failure
           FROM check_states s JOIN checks c ON c.id = s.check_id ORDER BY c.name`,
      );
      return rows.map((row): CheckState => {
        const state: CheckState = { check: row.name as string, status: row.status as CheckState['status'], since: row.since as number, streak: row.streak as number };
        if (row.last_result) state.lastResult = row.last_result as CheckResult;
        if (row.regions) state.regions = row.regions as CheckState['regions'];
        if (row.last_failure) state.lastFailure = row.last_failure as CheckState['lastFailure'];
        return state;
      });
    },
  };
}
