/**
 * Makes the stored heartbeat credentials match the configured heartbeat checks, at start-up:
 * - a check with `token:` in config gets that token's hash (replacing any other);
 * - a check without one keeps its stored token, or gets a new random one — returned in plain
 *   text exactly once so the CLI can print the push URL (only the hash is stored);
 * - credentials of checks that are gone (removed, renamed, no longer heartbeat) are revoked, so
 *   their URLs stop working.
 * @module
 */
import type { Check } from '../../domain/check.ts';
import type { Store } from '../../storage/store.ts';
import type { HeartbeatProbeConfig } from './heartbeat-probe.ts';
import { generateHeartbeatToken, hashHeartbeatToken } from './heartbeat-token.ts';

/** The slice of the Store token sync uses. */
export type TokenSyncStore = Pick<Store, 'listCredentials' | 'saveCredential' | 'revokeCredential'>;

/** A token created by this sync; its plain text exists nowhere else. */
export interface GeneratedHeartbeatToken {
  check: string;
  token: string;
}

/** Two heartbeat checks were configured with the same token, which would make pushes ambiguous. */
export class DuplicateHeartbeatTokenError extends Error {
  readonly checks: [string, string];
  constructor(checks: [string, string]) {
    super(`checks "${checks[0]}" and "${checks[1]}" use the same heartbeat token; each check needs its own`);
    this.name = 'DuplicateHeartbeatTokenError';
    this.checks = checks;
  }
}

/** Syncs credentials for `checks` (any kinds; only `heartbeat` ones matter). Returns new tokens. */
export async function syncHeartbeatTokens(
  store: TokenSyncStore,
  checks: readonly Check[],
  now: number,
): Promise<GeneratedHeartbeatToken[]> {
  const heartbeats = checks.filter((check) => check.kind === 'heartbeat');
  const configuredHashes = new Map<string, string>();
  for (const check of heartbeats) {
    const token = (check.probe as HeartbeatProbeConfig).token;
    if (token === undefined) continue;
    const hash = hashHeartbeatToken(token);
    const other = configuredHashes.get(hash);
    if (other !== undefined) throw new DuplicateHeartbeatTokenError([other, check.name]);
    configuredHashes.set(hash, check.name);
  }

  const active = new Map(
    (await store.listCredentials('heartbeat'))
      .filter((credential) => credential.revokedAt === undefined)
      .map((credential) => [credential.subject, credential]),
  );
  const generated: GeneratedHeartbeatToken[] = [];
  for (const check of heartbeats) {
    const token = (check.probe as HeartbeatProbeConfig).token;
    const stored = active.get(check.name);
    if (token !== undefined) {
      const hash = hashHeartbeatToken(token);
      // Comparing hashes of our own making: no secret-dependent timing to protect here.
      if (stored?.hash !== hash) await store.saveCredential({ scope: 'heartbeat', subject: check.name, hash, createdAt: now });
    } else if (!stored) {
      const fresh = generateHeartbeatToken();
      await store.saveCredential({ scope: 'heartbeat', subject: check.name, hash: hashHeartbeatToken(fresh), createdAt: now });
      generated.push({ check: check.name, token: fresh });
    }
  }

  const wanted = new Set(heartbeats.map((check) => check.name));
  for (const subject of active.keys()) {
    if (!wanted.has(subject)) await store.revokeCredential('heartbeat', subject, now);
  }
  return generated;
}
