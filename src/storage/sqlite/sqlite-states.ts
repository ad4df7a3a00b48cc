/**
 * The current state of each check: one small JSON row per check, keyed by its interned id.
 * States are written only with their results (`saveStates`, called inside the results write
 * transaction of sqlite-results.ts); the port itself reads.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import type { StateMerge } from '../ports/results-port.ts';
import type { SqliteHandle } from './database.ts';

/**
 * Upserts states; call inside the caller's write transaction (which holds SQLite's write lock,
 * so a read and write here cannot interleave with another writer's). With `merge`, each state is
 * merged with the stored one (see `ResultBatch.merge`). Returns the state written per check.
 */
export function saveStates(
  handle: SqliteHandle,
  states: readonly CheckState[],
  ids: ReadonlyMap<string, number>,
  merge?: StateMerge,
): Map<string, CheckState> {
  const upsert = handle.stmt('INSERT OR REPLACE INTO states (check_id, data) VALUES (?, ?)');
  const read = handle.stmt('SELECT data FROM states WHERE check_id = ?');
  const written = new Map<string, CheckState>();
  for (const incoming of states) {
    const id = ids.get(incoming.check);
    if (id === undefined) throw new Error(`check ${incoming.check} has no id`);
    let state = incoming;
    if (merge) {
      const row = read.get(id) as { data: string } | undefined;
      state = merge(row ? (JSON.parse(row.data) as CheckState) : undefined, incoming);
    }
    upsert.run(id, JSON.stringify(state));
    written.set(state.check, state);
  }
  return written;
}

/** The states port on SQLite; `ready` migrates the file on first use. */
export function createSqliteStates(handle: SqliteHandle, ready: () => void): StatesPort {
  return {
    async readStates() {
      ready();
      // row by row, each JSON text parsed as it comes: at 100,000 checks, `all()` held every row
      // object and its text at once (~20 MB at start-up, read by the state authority and the alert
      // evaluator in turn) beside the states made from them
      const states: CheckState[] = [];
      for (const data of handle.stmt('SELECT data FROM states ORDER BY check_id').pluck().iterate() as IterableIterator<string>) {
        states.push(JSON.parse(data) as CheckState);
      }
      return states;
    },
  };
}
