/**
 * The reverse-proxy auth header from the reference design: when `auth:` is configured, every
 * request except `/healthz` and heartbeat pushes must carry `auth.header` equal to one of
 * `auth.secrets`, so the proxy that adds the header cannot be bypassed by calling the origin
 * directly. Pushes are exempt because a cron job cannot send the proxy's secret: the push token
 * in the path is their credential.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AuthConfig } from './page-config.ts';
import { UnauthorizedError } from './http-errors.ts';

/** Paths that never require the header (load balancer health checks). */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz']);
/** Path prefixes that never require the header (heartbeat pushes carry their own token). */
const OPEN_PREFIXES: readonly string[] = ['/api/v1/push/'];

/** True when `path` is served without the auth header. */
function isOpenPath(path: string): boolean {
  return OPEN_PATHS.has(path) || OPEN_PREFIXES.some((prefix) => path.startsWith(prefix));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when `presented` equals one of `secrets`. Both sides are hashed to equal length and every
 * secret is compared, so timing reveals neither the secret's length nor which one matched.
 */
function secretMatches(presented: string | undefined, secrets: readonly string[]): boolean {
  if (presented === undefined) return false;
  const candidate = digest(presented);
  let matched = false;
  for (const secret of secrets) matched = timingSafeEqual(candidate, digest(secret)) || matched;
  return matched;
}

/** Middleware enforcing the header; a no-op when auth is not configured. */
export function authHeader(auth: AuthConfig | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (auth && !isOpenPath(c.req.path) && !secretMatches(c.req.header(auth.header), auth.secrets)) {
      throw new UnauthorizedError();
    }
    await next();
  };
}
