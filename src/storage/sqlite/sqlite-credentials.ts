/**
 * Hashed credentials (heartbeat, admin and agent tokens), one row per (scope, subject).
 * @module
 */
import type { Credential, CredentialsPort } from '../ports/credentials-port.ts';
import type { SqliteHandle } from './database.ts';

interface CredentialRow {
  scope: Credential['scope'];
  subject: string;
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

function toCredential(row: CredentialRow): Credential {
  const credential: Credential = { scope: row.scope, subject: row.subject, hash: row.hash, createdAt: row.created_at };
  if (row.revoked_at !== null) credential.revokedAt = row.revoked_at;
  return credential;
}

/** The credentials port on SQLite; `ready` migrates the file on first use. */
export function createSqliteCredentials(handle: SqliteHandle, ready: () => void): CredentialsPort {
  return {
    async saveCredential(credential) {
      ready();
      handle
        .stmt(
          `INSERT OR REPLACE INTO credentials (scope, subject, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(credential.scope, credential.subject, credential.hash, credential.createdAt, credential.revokedAt ?? null);
    },
    async findCredential(scope, hash) {
      ready();
      const row = handle
        .stmt('SELECT * FROM credentials WHERE scope = ? AND hash = ? AND revoked_at IS NULL LIMIT 1')
        .get(scope, hash) as CredentialRow | undefined;
      return row && toCredential(row);
    },
    async listCredentials(scope) {
      ready();
      return (handle.stmt('SELECT * FROM credentials WHERE scope = ? ORDER BY subject').all(scope) as CredentialRow[]).map(
        toCredential,
      );
    },
    async revokeCredential(scope, subject, at) {
      ready();
      handle
        .stmt('UPDATE credentials SET revoked_at = ? WHERE scope = ? AND subject = ? AND revoked_at IS NULL')
        .run(at, scope, subject);
    },
  };
}
