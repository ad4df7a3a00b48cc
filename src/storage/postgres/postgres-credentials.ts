/**
 * Hashed credentials in PostgreSQL, one row per (scope, subject). Every read goes to the
 * primary: a token saved a moment ago must work at once on every instance.
 * @module
 */
import type { Credential, CredentialsPort } from '../ports/credentials-port.ts';
import type { PgQueryable, PgRow } from './pg-pool.ts';

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

/** The credentials port on PostgreSQL. */
export function createPostgresCredentials({ write }: { write: PgQueryable }): CredentialsPort {
  return {
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
  };
}
