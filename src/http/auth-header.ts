/**
 * The reverse-proxy auth header from the reference design: when `auth:` is configured, every
 * request except `/healthz` must carry `auth.header` equal to one of `auth.secrets`, so the proxy
 * that adds the header cannot be bypassed by calling the origin directly.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AuthConfig } from './page-config.js';
import { UnauthorizedError } from './http-errors.js';

/** Paths that never require the header (load balancer health checks). */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when `presented` equals one of `secrets`. Both sides are hashed to equal length and every
 * secret is compared, so timing reveals neither the secret's length nor which one matched.
 */
export function secretMatches(presented: string | undefined, secrets: readonly string[]): boolean {
  if (presented === undefined) return false;
  const candidate = digest(presented);
  let matched = false;
  for (const secret of secrets) matched = timingSafeEqual(candidate, digest(secret)) || matched;
  return matched;
}

/** Middleware enforcing the header; a no-op when auth is not configured. */
export function authHeader(auth: AuthConfig | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (auth && !OPEN_PATHS.has(c.req.path) && !secretMatches(c.req.header(auth.header), auth.secrets)) {
      throw new UnauthorizedError();
    }
    await next();
  };
}
