/**
 * Interns check and region names as small integers, so every history row stores a 1–2 byte id
 * instead of a repeated string. Ids are never reused or deleted, so a per-connection cache is
 * always valid, even with other processes writing the same file.
 * @module
 */
import type { SqliteHandle } from './database.ts';

export interface NameTable {
  /** Ids for `names`, creating the missing ones (in their own short transaction). */
  ensure(names: Iterable<string>): Map<string, number>;
  /** Id of an existing name, undefined when it was never stored. */
  lookup(name: string): number | undefined;
  /** Name of an id; throws for an id this file never issued (a corrupted row, i.e. a bug). */
  nameOf(id: number): string;
  /** Every interned id (checks and regions alike). */
  allIds(): number[];
}

export function createNameTable(handle: SqliteHandle): NameTable {
  /** Keyed by the caller's string (the config's check name), so the cache holds no copy of its own. */
  const ids = new Map<string, number>();
  /**
   * Id → the same string. Ids are SQLite rowids handed out in order (1, 2, 3 …), so an array
   * indexed by id is dense: 8 bytes a name where a second Map was ~46.
   */
  const names: string[] = [];
  const remember = (name: string, id: number) => {
    ids.set(name, id);
    names[id] = name;
  };
  const select = () => handle.stmt('SELECT id FROM names WHERE name = ?');

  const lookup = (name: string): number | undefined => {
    const cached = ids.get(name);
    if (cached !== undefined) return cached;
    const row = select().get(name) as { id: number } | undefined;
    if (row) remember(name, row.id);
    return row?.id;
  };

  return {
    ensure(wanted) {
      const result = new Map<string, number>();
      const missing: string[] = [];
      for (const name of wanted) {
        const id = lookup(name);
        if (id === undefined) missing.push(name);
        else result.set(name, id);
      }
      if (missing.length) {
        handle.write(() => {
          const insert = handle.stmt('INSERT OR IGNORE INTO names (name) VALUES (?)');
          for (const name of missing) insert.run(name);
        });
        for (const name of missing) {
          const id = lookup(name);
          if (id === undefined) throw new Error(`name ${name} was not interned`);
          result.set(name, id);
        }
      }
      return result;
    },
    lookup,
    nameOf(id) {
      const cached = names[id];
      if (cached !== undefined) return cached;
      const row = handle.stmt('SELECT name FROM names WHERE id = ?').get(id) as { name: string } | undefined;
      if (!row) throw new Error(`unknown name id ${id}`);
      remember(row.name, id);
      return row.name;
    },
    allIds() {
      return (handle.stmt('SELECT id FROM names ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    },
  };
}
