/**
 * Sends a cached response with `ETag`, `Last-Modified` and `Cache-Control`, answering
 * `If-None-Match` / `If-Modified-Since` with 304 Not Modified.
 * @module
 */
import type { Context } from 'hono';
import type { CachedResponse } from './response-cache.js';

/** Strips the weak prefix: a compressed response carries `W/"…"` for the same body. */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/** True when the request's validators show the client already has this response. */
export function isNotModified(c: Context, entry: CachedResponse): boolean {
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === entry.etag);
  }
  const since = Date.parse(c.req.header('If-Modified-Since') ?? '');
  return Number.isFinite(since) && Math.floor(entry.lastModified / 1000) * 1000 <= since;
}

/** Writes the response (or a 304) with caching headers. `private` when the page sits behind auth. */
export function sendCached(c: Context, entry: CachedResponse, options: { maxAgeSeconds: number; private: boolean; vary?: string }): Response {
  const headers: Record<string, string> = {
    ETag: entry.etag,
    'Last-Modified': new Date(entry.lastModified).toUTCString(),
    'Cache-Control': `${options.private ? 'private' : 'public'}, max-age=${options.maxAgeSeconds}`,
    Vary: options.vary ?? 'Accept-Encoding',
  };
  if (entry.status === 200 && isNotModified(c, entry)) return c.body(null, 304, headers);
  return c.body(entry.body, entry.status as 200, { ...headers, 'Content-Type': entry.contentType });
}
