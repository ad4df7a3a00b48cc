/**
 * The current state of each check: one small JSON row per check, keyed by its interned id.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';
import type { SqliteHandle } from './database.ts';

export interface StatesRepo {
  /** Upserts states; call inside the caller's write transaction. */
  save(states: readonly CheckState[], ids: ReadonlyMap<string, number>): void;
  readAll(): CheckState[];
}

export function createStatesRepo(handle: SqliteHandle): StatesRepo {
  return {
    save(states, ids) {
      const upsert = handle.stmt('INSERT OR REPLACE INTO states (check_id, data) VALUES (?, ?)');
      for (const state of states) {
        const id = ids.get(state.check);
        if (id === undefined) throw new Error(`check ${state.check} has no id`);
        upsert.run(id, JSON.stringify(state));
      }
    },
    readAll() {
      return (handle.stmt('SELECT data FROM states ORDER BY check_id').all() as { data: string }[]).map(
        (row) => JSON.parse(row.data) as CheckState,
      );
    },
  };
}
