/**
 * Interns check and region names as small integers, so every history row stores a 1–2 byte id
 * instead of a repeated string. Ids are never reused or deleted, so a per-connection cache is
 * always valid, even with other processes writing the same file.
 * @module
 */
import type { SqliteHandle } from './database.ts';
import { byName, findByName } from '../../domain/names-in-order.ts';

export interface NameTable {
  /** Ids for `names`, creating the missing ones (in their own short transaction). */
  ensure(names: Iterable<string>): Map<string, number>;
  /** Id of an existing name, undefined when it was never stored. */
  lookup(name: string): number | undefined;
  /** Name of an id; throws for an id this file never issued (a corrupted row, i.e. a bug). */
  nameOf(id: number): string;
}

/** Fewest recent names merged into the sorted ids at once. */
const MIN_MERGE = 1024;

export function createNameTable(handle: SqliteHandle): NameTable {
  /**
   * Id → name, holding the caller's string (the config's check name), so the cache holds no copy
   * of its own. Ids are SQLite rowids handed out in order (1, 2, 3 …), so an array indexed by id
   * is dense: 8 bytes a name.
   */
  const names: string[] = [];
  /**
   * Name → id: the cached ids sorted by name, searched by bisection (domain/names-in-order.ts),
   * plus a Map of the names cached since the last merge. Recent names are merged in once they are an eighth
   * of the sorted ones, so a store reading 100,000 names merges ~30 times, each a linear pass.
   */
  let sortedIds = new Int32Array(0);
  const recent = new Map<string, number>();

  const nameById = (id: number) => names[id];

  /** Merges the recent ids (sorted first) into the sorted ones, in one linear pass. */
  const mergeRecent = () => {
    const added = Int32Array.from(recent.values()).sort(byName(nameById));
    const merged = new Int32Array(sortedIds.length + added.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      merged[k] = j >= added.length || (i < sortedIds.length && names[sortedIds[i]] < names[added[j]]) ? sortedIds[i++] : added[j++];
    }
    sortedIds = merged;
    recent.clear();
  };

  const remember = (name: string, id: number) => {
    names[id] = name;
    recent.set(name, id);
    if (recent.size >= Math.max(MIN_MERGE, sortedIds.length >> 3)) mergeRecent();
  };
  const select = () => handle.stmt('SELECT id FROM names WHERE name = ?');

  const lookup = (name: string): number | undefined => {
    const cached = recent.get(name) ?? findByName(sortedIds, nameById, name);
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
  };
}
