/**
 * Incidents and maintenance windows, stored whole as JSON with the columns lists sort/filter on.
 * @module
 */
import type { Incident } from '../../domain/incident.ts';
import type { IncidentsPort } from '../ports/incidents-port.ts';
import type { SqliteHandle } from './database.ts';

/** The incidents port on SQLite; `ready` migrates the file on first use. */
export function createSqliteIncidents(handle: SqliteHandle, ready: () => void): IncidentsPort {
  return {
    async saveIncident(incident) {
      ready();
      handle
        .stmt('INSERT OR REPLACE INTO incidents (id, created_at, updated_at, data) VALUES (?, ?, ?, ?)')
        .run(incident.id, incident.createdAt, incident.updatedAt, JSON.stringify(incident));
    },
    async getIncident(id) {
      ready();
      const row = handle.stmt('SELECT data FROM incidents WHERE id = ?').get(id) as { data: string } | undefined;
      return row && (JSON.parse(row.data) as Incident);
    },
    async listIncidents({ since, limit } = {}) {
      ready();
      const rows = handle
        .stmt('SELECT data FROM incidents WHERE updated_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?')
        .all(since ?? Number.MIN_SAFE_INTEGER, limit ?? -1) as { data: string }[];
      return rows.map((row) => JSON.parse(row.data) as Incident);
    },
    async deleteIncident(id) {
      ready();
      handle.stmt('DELETE FROM incidents WHERE id = ?').run(id);
    },
  };
}
