/**
 * Interns check names as small integer ids, so the high-volume tables (results, rollups, states,
 * heartbeats) carry an int4 instead of a name. Ids are never reused or deleted, which makes the
 * per-instance cache always valid.
 * @module
 */
import type { PgQueryable } from './pg-pool.ts';

export interface CheckIds {
  /** Ids of `names`, creating missing ones (committed at once, outside any caller transaction). */
  resolve(names: Iterable<string>): Promise<Map<string, number>>;
}

export function createCheckIds(db: PgQueryable): CheckIds {
  const cache = new Map<string, number>();

  const load = async (names: string[]): Promise<void> => {
    const { rows } = await db.query<{ id: number; name: string }>('SELECT id, name FROM checks WHERE name = ANY($1::text[])', [names]);
    for (const row of rows) cache.set(row.name, row.id);
  };

  return {
    async resolve(names) {
      const wanted = [...new Set(names)];
      let missing = wanted.filter((name) => !cache.has(name));
      if (missing.length) await load(missing);
      missing = missing.filter((name) => !cache.has(name));
      if (missing.length) {
        // sorted so concurrent instances lock the unique index in the same order;
        // DO NOTHING + re-read covers a name another instance inserted meanwhile
        await db.query('INSERT INTO checks (name) SELECT n FROM unnest($1::text[]) AS n ORDER BY n ON CONFLICT (name) DO NOTHING', [missing.sort()]);
        await load(missing);
      }
      const ids = new Map<string, number>();
      for (const name of wanted) {
        const id = cache.get(name);
        if (id === undefined) throw new Error(`check id for ${JSON.stringify(name)} could not be created`);
        ids.set(name, id);
      }
      return ids;
    },
  };
}
