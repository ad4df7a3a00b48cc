/**
 * Heartbeat pings (only the latest per check is kept) and hashed credentials.
 * @module
 */
import type { Credential, HeartbeatPing } from '../store.ts';
import type { SqliteHandle } from './database.ts';

interface CredentialRow {
  scope: Credential['scope'];
  subject: string;
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

interface HeartbeatRow {
  check_name: string;
  at: number;
  ok: number;
  message: string | null;
}

export interface CredentialsRepo {
  recordHeartbeat(ping: HeartbeatPing): void;
  readLastHeartbeat(check: string): HeartbeatPing | undefined;
  save(credential: Credential): void;
  find(scope: Credential['scope'], hash: string): Credential | undefined;
  list(scope: Credential['scope']): Credential[];
  revoke(scope: Credential['scope'], subject: string, at: number): void;
}

function toCredential(row: CredentialRow): Credential {
  const credential: Credential = { scope: row.scope, subject: row.subject, hash: row.hash, createdAt: row.created_at };
  if (row.revoked_at !== null) credential.revokedAt = row.revoked_at;
  return credential;
}

export function createCredentialsRepo(handle: SqliteHandle): CredentialsRepo {
  return {
    recordHeartbeat(ping) {
      // pings can arrive out of order (retries, clock skew): an older one never replaces a newer
      handle
        .stmt(
          `INSERT INTO heartbeats (check_name, at, ok, message) VALUES (?, ?, ?, ?)
           ON CONFLICT (check_name) DO UPDATE SET at = excluded.at, ok = excluded.ok, message = excluded.message
           WHERE excluded.at >= heartbeats.at`,
        )
        .run(ping.check, ping.at, ping.ok ? 1 : 0, ping.message ?? null);
    },
    readLastHeartbeat(check) {
      const row = handle.stmt('SELECT * FROM heartbeats WHERE check_name = ?').get(check) as HeartbeatRow | undefined;
      if (!row) return undefined;
      const ping: HeartbeatPing = { check: row.check_name, at: row.at, ok: row.ok === 1 };
      if (row.message !== null) ping.message = row.message;
      return ping;
    },
    save(credential) {
      handle
        .stmt(
          `INSERT OR REPLACE INTO credentials (scope, subject, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(credential.scope, credential.subject, credential.hash, credential.createdAt, credential.revokedAt ?? null);
    },
    find(scope, hash) {
      const row = handle
        .stmt('SELECT * FROM credentials WHERE scope = ? AND hash = ? AND revoked_at IS NULL LIMIT 1')
        .get(scope, hash) as CredentialRow | undefined;
      return row && toCredential(row);
    },
    list(scope) {
      return (handle.stmt('SELECT * FROM credentials WHERE scope = ? ORDER BY subject').all(scope) as CredentialRow[]).map(
        toCredential,
      );
    },
    revoke(scope, subject, at) {
      handle
        .stmt('UPDATE credentials SET revoked_at = ? WHERE scope = ? AND subject = ? AND revoked_at IS NULL')
        .run(at, scope, subject);
    },
  };
}
