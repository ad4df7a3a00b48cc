/**
 * Admin credentials: the bearer tokens of `admin.tokens` and the signed session cookie a
 * signed-in admin carries. Only SHA-256 hashes of the tokens are kept in memory, comparisons are
 * constant-time over every configured token, and no token or hash is ever logged.
 *
 * A session is `<name>.<expiry>.<signature>` (name base64url, expiry in epoch seconds) signed with
 * HMAC-SHA256 under a key derived from that token's hash. Every instance of a cluster (and every
 * Lambda container) derives the same key from the same config, so a session works everywhere;
 * removing or rotating a token ends its sessions.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { AdminConfig } from '../page-config.ts';
import { createGuessThrottle, type GuessThrottle } from '../../kernel/guess-throttle.ts';

/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Name of the session cookie. */
export const SESSION_COOKIE = 'upstate_admin';

export interface AdminAuth {
  /** True when at least one admin token is configured. */
  readonly enabled: boolean;
  /** The name of the admin token equal to `presented`, or undefined. */
  verifyToken(presented: string | undefined): string | undefined;
  /** A session value for the token `name`, valid until `now + SESSION_TTL_MS`. */
  issueSession(name: string, now: number): string;
  /** The admin name of a valid, unexpired session, or undefined. */
  verifySession(value: string | undefined, now: number): string | undefined;
  /** Wrong tokens per client address (bearer header and sign-in form share one budget). */
  readonly guesses: GuessThrottle;
  /** The client address a guess is counted against. */
  clientOf(c: Context): string;
}

export interface AdminAuthOptions {
  /** The request's client address (see client-address.ts); without it all clients share one budget. */
  clientAddress?(c: Context): string;
}

interface Entry {
  name: string;
  hash: Buffer;
  sessionKey: Buffer;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sign(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload, 'utf8').digest();
}

/** Builds the admin credential checker from `config.admin` (absent = no admin access at all). */
export function createAdminAuth(admin: AdminConfig | undefined, options: AdminAuthOptions = {}): AdminAuth {
  const entries: Entry[] = (admin?.tokens ?? []).map(({ name, token }) => {
    const hash = sha256(token);
    return { name, hash, sessionKey: sign(hash, 'upstate admin session v1') };
  });
  const byName = new Map(entries.map((e) => [e.name, e]));

  return {
    enabled: entries.length > 0,
    guesses: createGuessThrottle(),
    clientOf: (c) => options.clientAddress?.(c) ?? 'unknown',
    verifyToken(presented) {
      if (presented === undefined || presented === '') return undefined;
      const candidate = sha256(presented);
      let found: string | undefined;
      // Compare against every entry so the time does not tell which one (if any) matched.
      for (const entry of entries) if (timingSafeEqual(candidate, entry.hash) && found === undefined) found = entry.name;
      return found;
    },
    issueSession(name, now) {
      const entry = byName.get(name);
      if (!entry) throw new Error(`unknown admin token name ${name}`);
      const payload = `${Buffer.from(name, 'utf8').toString('base64url')}.${Math.floor((now + SESSION_TTL_MS) / 1000)}`;
      return `${payload}.${sign(entry.sessionKey, payload).toString('base64url')}`;
    },
    verifySession(value, now) {
      if (!value || value.length > 1000) return undefined;
      const parts = value.split('.');
      if (parts.length !== 3) return undefined;
      const [encodedName, expiry, signature] = parts;
      const entry = byName.get(Buffer.from(encodedName, 'base64url').toString('utf8'));
      if (!entry || !/^\d{1,12}$/.test(expiry) || Number(expiry) * 1000 <= now) return undefined;
      const expected = sign(entry.sessionKey, `${encodedName}.${expiry}`);
      const given = Buffer.from(signature, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected) ? entry.name : undefined;
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
