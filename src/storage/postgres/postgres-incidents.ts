/**
 * Incidents and maintenance windows in PostgreSQL, stored whole as JSON with the columns lists
 * sort and filter on. Page reads may go to the read pool.
 * @module
 */
import type { Incident } from '../../domain/incident.ts';
import type { IncidentsPort } from '../ports/incidents-port.ts';
import type { PgQueryable } from './pg-pool.ts';

export interface IncidentsDeps {
  write: PgQueryable;
  read: PgQueryable;
}

/** The incidents port on PostgreSQL. */
export function createPostgresIncidents({ write, read }: IncidentsDeps): IncidentsPort {
  return {
    async saveIncident(incident) {
      await write.query(
        `INSERT INTO incidents (id, created_at, updated_at, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, body = excluded.body`,
        [incident.id, incident.createdAt, incident.updatedAt, JSON.stringify(incident)],
      );
    },

    async getIncident(id) {
      const { rows } = await read.query('SELECT body FROM incidents WHERE id = $1', [id]);
      return rows[0]?.body as Incident | undefined;
    },

    async listIncidents(options = {}) {
      const { rows } = await read.query(
        `SELECT body FROM incidents WHERE ($1::int8 IS NULL OR updated_at >= $1)
          ORDER BY created_at DESC, id DESC LIMIT $2`,
        [options.since ?? null, options.limit ?? null],
      );
      return rows.map((row) => row.body as Incident);
    },

    async deleteIncident(id) {
      await write.query('DELETE FROM incidents WHERE id = $1', [id]);
    },
  };
}
