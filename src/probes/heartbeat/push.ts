/**
 * The push endpoint's logic, independent of any web framework: the HTTP layer mounts it at
 * `GET|POST /api/v1/push/<token>` (query `?status=fail&msg=…`) and turns the returned
 * `{ status, body }` into a JSON response (plus `Retry-After` on 429).
 *
 * Security choices:
 * - tokens are looked up by their SHA-256, so lookup time does not depend on the secret, and the
 *   hash that comes back is compared with `timingSafeEqual` in case a store matches loosely;
 * - every bad token gets the same 404 body after the same work (hash + lookup + compare),
 *   whether or not the check exists, was renamed, or its token was revoked;
 * - requests are rate limited per client (before any lookup, which bounds guessing) and per
 *   check (a runaway job cannot flood the store), with bounded memory.
 * @module
 */
import type { Store } from '../../storage/store.ts';
import { createRateLimiter, type RateLimitOptions } from './rate-limiter.ts';
import { HEARTBEAT_TOKEN_MAX_LENGTH, hashHeartbeatToken, hashesEqual } from './heartbeat-token.ts';

/** The slice of the Store the push handler uses. */
export type PushStore = Pick<Store, 'findCredential' | 'recordHeartbeat'>;

export interface PushRateLimits {
  /** Per client key (usually the client IP). Default: burst 60, 2/s. */
  perClient?: RateLimitOptions;
  /** Per token (i.e. per check). Default: burst 10, 1/s. */
  perToken?: RateLimitOptions;
}

export interface PushHandlerDeps {
  store: PushStore;
  now: () => number;
  rateLimit?: PushRateLimits;
}

/** Query parameters of a push; values as the client sent them. */
export interface PushQuery {
  /** `ok`/`up`/`success`/`0` (or absent) = success; anything else (`fail`, an exit code) = failure. */
  status?: string;
  /** Free text from the job, kept up to `MAX_PUSH_MESSAGE` characters. */
  msg?: string;
}

type PushResponse =
  | { status: 200; body: { ok: true; check: string; reported: 'up' | 'fail' } }
  | { status: 404; body: { ok: false; error: 'unknown push token' } }
  | { status: 429; body: { ok: false; error: 'too many pushes'; retryAfterSeconds: number } };

export type PushHandler = (token: string, query: PushQuery, clientKey: string) => Promise<PushResponse>;

/** Longest message kept from a push (characters). */
export const MAX_PUSH_MESSAGE = 500;

const SUCCESS_STATUSES = new Set(['', 'ok', 'up', 'success', '0']);
// A fixed hash compared against when no credential matched, so both paths do the same work.
const NO_MATCH_HASH = '0'.repeat(64);

/** Creates the push handler with its own rate-limit state. */
export function createPushHandler(deps: PushHandlerDeps): PushHandler {
  const perClient = createRateLimiter(deps.rateLimit?.perClient ?? { capacity: 60, refillPerSecond: 2 });
  const perToken = createRateLimiter(deps.rateLimit?.perToken ?? { capacity: 10, refillPerSecond: 1 });

  return async (token, query, clientKey) => {
    const now = deps.now();
    const clientDecision = perClient.take(clientKey, now);
    if (!clientDecision.allowed) return tooMany(clientDecision.retryAfterMs);

    // Over-long input is hashed in truncated form rather than rejected early: same work, same 404.
    const hash = hashHeartbeatToken(token.slice(0, HEARTBEAT_TOKEN_MAX_LENGTH + 1));
    const credential = await deps.store.findCredential('heartbeat', hash);
    const matches = hashesEqual(credential?.hash ?? NO_MATCH_HASH, hash);
    if (!credential || !matches || token.length > HEARTBEAT_TOKEN_MAX_LENGTH || credential.revokedAt !== undefined) {
      return notFound();
    }

    const tokenDecision = perToken.take(hash, now);
    if (!tokenDecision.allowed) return tooMany(tokenDecision.retryAfterMs);

    const ok = SUCCESS_STATUSES.has((query.status ?? '').trim().toLowerCase());
    const message = cleanMessage(query.msg);
    await deps.store.recordHeartbeat({ check: credential.subject, at: now, ok, ...(message ? { message } : {}) });
    return { status: 200, body: { ok: true, check: credential.subject, reported: ok ? 'up' : 'fail' } };
  };
}

/** Control characters out (they would garble logs and pages), spaces squeezed, length capped. */
export function cleanMessage(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const cleaned = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (!cleaned) return undefined;
  const chars = Array.from(cleaned); // by code point, so a surrogate pair is never split
  return chars.length > MAX_PUSH_MESSAGE ? chars.slice(0, MAX_PUSH_MESSAGE).join('') : cleaned;
}

function notFound(): PushResponse {
  return { status: 404, body: { ok: false, error: 'unknown push token' } };
}

function tooMany(retryAfterMs: number): PushResponse {
  return { status: 429, body: { ok: false, error: 'too many pushes', retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) } };
}
