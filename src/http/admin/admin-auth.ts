/**
 * Admin credentials: the bearer tokens of `admin.tokens` and the sessions of signed-in admins.
 * Only SHA-256 hashes of the tokens are kept in memory, comparisons are constant-time over every
 * configured token, and no token or hash is ever logged.
 *
 * A session is a random 256-bit id in the cookie; the store keeps only its SHA-256, the admin
 * token's name and a tag derived from that token's hash, and the expiry. Every instance of a
 * cluster (and every Lambda container) reads the same store, so a session works everywhere and
 * logging out ends it everywhere at once; rotating or removing the token ends its sessions
 * (the tag or the name no longer matches).
 * @module
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { AdminConfig } from '../page-config.ts';
import type { SessionsPort } from '../../storage/store.ts';
import { createGuessThrottle, type GuessThrottle } from '../../kernel/guess-throttle.ts';

/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Name of the session cookie. */
export const SESSION_COOKIE = 'upstate_admin';
/** A session id as the cookie carries it: 32 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface AdminAuth {
  /** True when at least one admin token is configured. */
  readonly enabled: boolean;
  /** The name of the admin token equal to `presented`, or undefined. */
  verifyToken(presented: string | undefined): string | undefined;
  /** Starts a session for the token `name`, valid until `now + SESSION_TTL_MS`; returns the cookie value. */
  issueSession(name: string, now: number): Promise<string>;
  /** The admin name of a live session (stored, unexpired, its token unchanged), or undefined. */
  verifySession(value: string | undefined, now: number): Promise<string | undefined>;
  /** Ends the session of this cookie value, on every instance (logout). */
  endSession(value: string | undefined): Promise<void>;
  /** Wrong tokens per client address (bearer header and sign-in form share one budget). */
  readonly guesses: GuessThrottle;
  /** The client address a guess is counted against. */
  clientOf(c: Context): string;
}

export interface AdminAuthOptions {
  /** Where sessions live (the store: shared by every instance). */
  sessions: SessionsPort;
  /** The request's client address (see client-address.ts); without it all clients share one budget. */
  clientAddress?(c: Context): string;
}

interface Entry {
  name: string;
  hash: Buffer;
  /** Names this token version in stored sessions, so rotating the token ends them. */
  tag: string;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

const sessionHash = (id: string) => sha256(id).toString('hex');

/** Builds the admin credential checker from `config.admin` (absent = no admin access at all). */
export function createAdminAuth(admin: AdminConfig | undefined, options: AdminAuthOptions): AdminAuth {
  const entries: Entry[] = (admin?.tokens ?? []).map(({ name, token }) => {
    const hash = sha256(token);
    return { name, hash, tag: createHmac('sha256', hash).update('upstate admin session v2').digest('hex').slice(0, 16) };
  });
  const byName = new Map(entries.map((e) => [e.name, e]));
  const { sessions } = options;

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
    async issueSession(name, now) {
      const entry = byName.get(name);
      if (!entry) throw new Error(`unknown admin token name ${name}`);
      const id = randomBytes(32).toString('base64url');
      await sessions.createSession({ idHash: sessionHash(id), subject: `${name}:${entry.tag}`, createdAt: now, expiresAt: now + SESSION_TTL_MS });
      return id;
    },
    async verifySession(value, now) {
      if (!value || !SESSION_ID.test(value)) return undefined;
      const session = await sessions.findSession(sessionHash(value), now);
      if (!session) return undefined;
      const cut = session.subject.lastIndexOf(':');
      const entry = byName.get(session.subject.slice(0, cut));
      return entry && entry.tag === session.subject.slice(cut + 1) ? entry.name : undefined;
    },
    async endSession(value) {
      if (value && SESSION_ID.test(value)) await sessions.endSession(sessionHash(value));
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
