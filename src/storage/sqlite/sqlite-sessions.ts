/**
 * Admin sessions on SQLite, one row per session keyed by the hash of its id.
 * @module
 */
import type { Session, SessionsPort } from '../ports/sessions-port.ts';
import type { SqliteHandle } from './database.ts';

interface SessionRow {
  id_hash: string;
  subject: string;
  created_at: number;
  expires_at: number;
}

/** The sessions port on SQLite; `ready` migrates the file on first use. */
export function createSqliteSessions(handle: SqliteHandle, ready: () => void): SessionsPort {
  return {
    async createSession(session) {
      ready();
      handle
        .stmt('INSERT INTO sessions (id_hash, subject, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(session.idHash, session.subject, session.createdAt, session.expiresAt);
    },
    async findSession(idHash, now) {
      ready();
      const row = handle.stmt('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?').get(idHash, now) as SessionRow | undefined;
      return row && ({ idHash: row.id_hash, subject: row.subject, createdAt: row.created_at, expiresAt: row.expires_at } satisfies Session);
    },
    async endSession(idHash) {
      ready();
      handle.stmt('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
    },
    async pruneSessions(now) {
      ready();
      return handle.stmt('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
    },
  };
}
