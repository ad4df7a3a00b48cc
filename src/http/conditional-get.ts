/**
 * Sends a cached response with `ETag`, `Last-Modified` and `Cache-Control`, answering
 * `If-None-Match` / `If-Modified-Since` with 304 Not Modified.
 * @module
 */
import type { Context } from 'hono';
import type { CachedResponse } from './response-cache.ts';

/** Strips the weak prefix: a compressed response carries `W/"…"` for the same body. */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/** True when the request's validators show the client already has this response. */
function isNotModified(c: Context, entry: CachedResponse): boolean {
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
  if (entry.bytes.byteLength >= GZIP_THRESHOLD_BYTES && acceptsGzip(c.req.header('Accept-Encoding'))) {
    // served from the cache already compressed, so the compress middleware leaves it alone
    return c.body(entry.gzipped(), entry.status as 200, {
      ...headers,
      ETag: `W/${entry.etag}`,
      'Content-Type': entry.contentType,
      'Content-Encoding': 'gzip',
    });
  }
  return c.body(entry.bytes, entry.status as 200, { ...headers, 'Content-Type': entry.contentType });
}

/** Bodies smaller than this are not worth compressing (same threshold as the compress middleware). */
const GZIP_THRESHOLD_BYTES = 1024;

/** True when `Accept-Encoding` allows gzip (q > 0, named or by `*`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return allowed;
    if (name === '*') wildcard = allowed;
  }
  return wildcard;
}
