/**
 * Admin sessions in PostgreSQL, one row per session keyed by the hash of its id. Every read
 * goes to the primary: a logout on one instance must end the session on all of them at once.
 * @module
 */
import type { SessionsPort } from '../ports/sessions-port.ts';
import type { PgQueryable } from './pg-pool.ts';

/** The sessions port on PostgreSQL. */
export function createPostgresSessions({ write }: { write: PgQueryable }): SessionsPort {
  return {
    async createSession(session) {
      await write.query('INSERT INTO sessions (id_hash, subject, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        session.idHash,
        session.subject,
        session.createdAt,
        session.expiresAt,
      ]);
    },
    async findSession(idHash, now) {
      const { rows } = await write.query('SELECT * FROM sessions WHERE id_hash = $1 AND expires_at > $2', [idHash, now]);
      const row = rows[0];
      if (!row) return undefined;
      return { idHash: row.id_hash as string, subject: row.subject as string, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) };
    },
    async endSession(idHash) {
      await write.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
    async pruneSessions(now) {
      const result = await write.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
      return result.rowCount ?? 0;
    },
  };
}
