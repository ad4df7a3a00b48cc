/**
 * The client's address as a rate-limit key, without tying the app to one runtime: the first hop
 * of `X-Forwarded-For` (API Gateway, load balancers and reverse proxies set it), else the socket
 * address @hono/node-server exposes in `c.env.incoming`, else a constant.
 *
 * `X-Forwarded-For` is client-controlled when nothing in front rewrites it, so this key only
 * spreads honest clients across buckets; limits that must hold against a liar (per token, per
 * check) are keyed on something the client cannot choose.
 * @module
 */
import type { Context } from 'hono';

/** Key used when no address can be found (all such clients share one bucket). */
const UNKNOWN_CLIENT = 'unknown';

/** The slice of @hono/node-server's bindings read here. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: NodeBindings;
}

/** Best-effort client address of a request. */
export function clientAddress(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded.slice(0, 100);
  const env = c.env as NodeBindings | undefined;
  const bindings = env?.server ?? env;
  return bindings?.incoming?.socket?.remoteAddress ?? UNKNOWN_CLIENT;
}
