/**
 * Heartbeat pings: only the latest per check is kept, one row per check name.
 * @module
 */
import type { HeartbeatPing, HeartbeatsPort } from '../ports/heartbeats-port.ts';
import type { SqliteHandle } from './database.ts';

interface HeartbeatRow {
  check_name: string;
  at: number;
  ok: number;
  message: string | null;
}

/** The heartbeats port on SQLite; `ready` migrates the file on first use. */
export function createSqliteHeartbeats(handle: SqliteHandle, ready: () => void): HeartbeatsPort {
  return {
    async recordHeartbeat(ping) {
      ready();
      // pings can arrive out of order (retries, clock skew): an older one never replaces a newer
      handle
        .stmt(
          `INSERT INTO heartbeats (check_name, at, ok, message) VALUES (?, ?, ?, ?)
           ON CONFLICT (check_name) DO UPDATE SET at = excluded.at, ok = excluded.ok, message = excluded.message
           WHERE excluded.at >= heartbeats.at`,
        )
        .run(ping.check, ping.at, ping.ok ? 1 : 0, ping.message ?? null);
    },
    async readLastHeartbeat(check) {
      ready();
      const row = handle.stmt('SELECT * FROM heartbeats WHERE check_name = ?').get(check) as HeartbeatRow | undefined;
      if (!row) return undefined;
      const ping: HeartbeatPing = { check: row.check_name, at: row.at, ok: row.ok === 1 };
      if (row.message !== null) ping.message = row.message;
      return ping;
    },
  };
}
