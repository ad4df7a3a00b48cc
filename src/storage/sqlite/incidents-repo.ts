/**
 * Incidents and maintenance windows, stored whole as JSON with the columns lists sort/filter on.
 * @module
 */
import type { Incident } from '../../domain/incident.ts';
import type { SqliteHandle } from './database.ts';

export interface IncidentsRepo {
  save(incident: Incident): void;
  get(id: string): Incident | undefined;
  list(options: { since?: number; limit?: number }): Incident[];
  delete(id: string): void;
}

export function createIncidentsRepo(handle: SqliteHandle): IncidentsRepo {
  return {
    save(incident) {
      handle
        .stmt('INSERT OR REPLACE INTO incidents (id, created_at, updated_at, data) VALUES (?, ?, ?, ?)')
        .run(incident.id, incident.createdAt, incident.updatedAt, JSON.stringify(incident));
    },
    get(id) {
      const row = handle.stmt('SELECT data FROM incidents WHERE id = ?').get(id) as { data: string } | undefined;
      return row && (JSON.parse(row.data) as Incident);
    },
    list({ since, limit }) {
      const rows = handle
        .stmt('SELECT data FROM incidents WHERE updated_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?')
        .all(since ?? Number.MIN_SAFE_INTEGER, limit ?? -1) as { data: string }[];
      return rows.map((row) => JSON.parse(row.data) as Incident);
    },
    delete(id) {
      handle.stmt('DELETE FROM incidents WHERE id = ?').run(id);
    },
  };
}
