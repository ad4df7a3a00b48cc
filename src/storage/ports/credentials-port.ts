/**
 * The credentials port: hashed heartbeat, admin and probe-agent tokens.
 * @module
 */

/** A hashed credential: heartbeat tokens, admin tokens, probe-agent tokens. */
export interface Credential {
  scope: 'heartbeat' | 'admin' | 'agent';
  /** What it belongs to: the check name, admin token name, or agent name/region. */
  subject: string;
  /** Hex SHA-256 of the secret; the secret itself is never stored. */
  hash: string;
  createdAt: number;
  revokedAt?: number;
}

/** Hashed credentials by scope. */
export interface CredentialsPort {
  /** Inserts or replaces the credential for (scope, subject). */
  saveCredential(credential: Credential): Promise<void>;
  /** Looks up a non-revoked credential by hash; undefined when none matches. */
  findCredential(scope: Credential['scope'], hash: string): Promise<Credential | undefined>;
  listCredentials(scope: Credential['scope']): Promise<Credential[]>;
  revokeCredential(scope: Credential['scope'], subject: string, at: number): Promise<void>;
}
