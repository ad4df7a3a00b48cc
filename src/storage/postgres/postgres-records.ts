/**
 * The small keyed records of the PostgreSQL store: heartbeats (only the latest ping per check is
 * kept), hashed credentials and incidents.
 * @module
 */
import type { Incident } from '../../domain/incident.ts';
import type { Credential, HeartbeatPing, Store } from '../store.ts';
import type { CheckIds } from './check-ids.ts';
import type { PgQueryable, PgRow } from './pg-pool.ts';

export interface RecordsDeps {
  write: PgQueryable;
  read: PgQueryable;
  ids: CheckIds;
}

type RecordsStore = Pick<
  Store,
  | 'recordHeartbeat' | 'readLastHeartbeat'
  | 'saveCredential' | 'findCredential' | 'listCredentials' | 'revokeCredential'
  | 'saveIncident' | 'getIncident' | 'listIncidents' | 'deleteIncident'
>;

function toCredential(row: PgRow): Credential {
  const credential: Credential = {
    scope: row.scope as Credential['scope'],
    subject: row.subject as string,
    hash: row.hash as string,
    createdAt: row.created_at as number,
  };
  if (row.revoked_at !== null) credential.revokedAt = row.revoked_at as number;
  return credential;
}

export function createPostgresRecords({ write, read, ids }: RecordsDeps): RecordsStore {
  return {
    async recordHeartbeat(ping: HeartbeatPing) {
      const id = (await ids.resolve([ping.check])).get(ping.check);
      // pings can arrive out of order (retries, several instances): an older one never wins
      await write.query(
        `INSERT INTO heartbeats AS h (check_id, at, ok, message) VALUES ($1, $2, $3, $4)
         ON CONFLICT (check_id) DO UPDATE SET at = excluded.at, ok = excluded.ok, message = excluded.message
         WHERE excluded.at >= h.at`,
        [id, ping.at, ping.ok, ping.message ?? null],
      );
    },

    async readLastHeartbeat(check) {
      const { rows } = await write.query(
        'SELECT at, ok, message FROM heartbeats WHERE check_id = (SELECT id FROM checks WHERE name = $1)',
        [check],
      );
      const row = rows[0];
      if (!row) return undefined;
      const ping: HeartbeatPing = { check, at: row.at as number, ok: row.ok as boolean };
      if (row.message !== null) ping.message = row.message as string;
      return ping;
    },

    async saveCredential(credential) {
      await write.query(
        `INSERT INTO credentials (scope, subject, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (scope, subject) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at, revoked_at = excluded.revoked_at`,
        [credential.scope, credential.subject, credential.hash, credential.createdAt, credential.revokedAt ?? null],
      );
    },

    async findCredential(scope, hash) {
      // authentication reads the primary: a token saved a moment ago must work at once
      const { rows } = await write.query(
        'SELECT * FROM credentials WHERE scope = $1 AND hash = $2 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1',
        [scope, hash],
      );
      return rows[0] ? toCredential(rows[0]) : undefined;
    },

    async listCredentials(scope) {
      const { rows } = await write.query('SELECT * FROM credentials WHERE scope = $1 ORDER BY subject', [scope]);
      return rows.map(toCredential);
    },

    async revokeCredential(scope, subject, at) {
      await write.query('UPDATE credentials SET revoked_at = $3 WHERE scope = $1 AND subject = $2 AND revoked_at IS NULL', [scope, subject, at]);
    },

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
