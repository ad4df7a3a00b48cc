/**
 * Heartbeat pings in PostgreSQL: only the latest ping per check is kept, keyed by its check id.
 * @module
 */
import type { HeartbeatPing, HeartbeatsPort } from '../ports/heartbeats-port.ts';
import type { CheckIds } from './check-ids.ts';
import type { PgQueryable } from './pg-pool.ts';

export interface HeartbeatsDeps {
  write: PgQueryable;
  ids: CheckIds;
}

/** The heartbeats port on PostgreSQL; reads go to the primary, like the writes. */
export function createPostgresHeartbeats({ write, ids }: HeartbeatsDeps): HeartbeatsPort {
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
  };
}
