/**
 * The current state of each check: one small JSON row per check, keyed by its interned id.
 * States are written only with their results (`saveStates`, called inside the results write
 * transaction of sqlite-results.ts); the port itself reads.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import type { SqliteHandle } from './database.ts';

/** Upserts states; call inside the caller's write transaction. */
export function saveStates(handle: SqliteHandle, states: readonly CheckState[], ids: ReadonlyMap<string, number>): void {
  const upsert = handle.stmt('INSERT OR REPLACE INTO states (check_id, data) VALUES (?, ?)');
  for (const state of states) {
    const id = ids.get(state.check);
    if (id === undefined) throw new Error(`check ${state.check} has no id`);
    upsert.run(id, JSON.stringify(state));
  }
}

/** The states port on SQLite; `ready` migrates the file on first use. */
export function createSqliteStates(handle: SqliteHandle, ready: () => void): StatesPort {
  return {
    async readStates() {
      ready();
      return (handle.stmt('SELECT data FROM states ORDER BY check_id').all() as { data: string }[]).map(
        (row) => JSON.parse(row.data) as CheckState,
      );
    },
  };
}
