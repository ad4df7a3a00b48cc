/**
 * A small in-process LRU + TTL cache of rendered responses (HTML, JSON). Rendering a page for a
 * hundred checks costs a store read and a template pass; between result batches every visitor
 * would get the same bytes, so they are rendered once. `invalidate()` runs when the page bus
 * publishes; the store writer runs first on the result bus, so by then the batch is stored and
 * the next render may be cached at once. (`graceMs` remains for callers whose invalidation can
 * precede the write.)
 * @module
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** A rendered body plus the validators sent with it. */
export interface CachedResponse {
  body: string;
  /** The body as UTF-8 bytes, encoded once: sending bytes is far cheaper than sending a string. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The body gzipped, computed on first use and then reused for every gzip-accepting client. */
  gzipped(): Uint8Array<ArrayBuffer>;
  contentType: string;
  /** Strong ETag of the body (quoted). */
  etag: string;
  /** Epoch ms used for `Last-Modified`. */
  lastModified: number;
  status: number;
}

/** What a route renders; the cache adds the validator and the byte forms. */
type RenderedResponse = Omit<CachedResponse, 'etag' | 'bytes' | 'gzipped'>;

export interface ResponseCache {
  /** The cached entry for `key`, or the one produced by `render` (cached unless in grace). */
  get(key: string, render: () => Promise<RenderedResponse>): Promise<CachedResponse>;
  /** Drops every entry, or only those whose key `which` selects. */
  invalidate(which?: (key: string) => boolean): void;
  readonly size: number;
}

/** Keys of outputs about one check: `page:/checks/<id>`, `api:/checks/<id>…`, `badge:<id>:…`. */
const PER_CHECK_KEY = /^(?:page:\/checks\/|api:\/checks\/|badge:)([^/:?]+)/;

/**
 * Which cached outputs a result batch for the checks `ids` makes stale: those about one of these
 * checks, and those showing every check (the page, `/api/v1/status`, v2). Other checks' pages and
 * badges stay cached, and so do the feeds, which show incidents only.
 */
export function staleAfterResults(ids: ReadonlySet<string>): (key: string) => boolean {
  return (key) => {
    if (key.startsWith('feed:')) return false;
    const match = PER_CHECK_KEY.exec(key);
    return !match || ids.has(match[1]);
  };
}

/** Quoted strong ETag: base64url SHA-1 of the body. */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body, 'utf8').digest('base64url')}"`;
}

export function createResponseCache(options: {
  ttlMs: number;
  maxEntries?: number;
  /** After an invalidation, how long rendered output is served uncached. */
  graceMs?: number;
  now?: () => number;
}): ResponseCache {
  const { ttlMs, maxEntries = 200, graceMs = 0, now = Date.now } = options;
  const entries = new Map<string, { value: CachedResponse; expires: number }>();
  let noCacheUntil = 0;
  return {
    async get(key, render) {
      const t = now();
      const hit = entries.get(key);
      if (hit && hit.expires > t) {
        // Re-insert to mark it most recently used (Map keeps insertion order).
        entries.delete(key);
        entries.set(key, hit);
        return hit.value;
      }
      entries.delete(key);
      const rendered = await render();
      const value = withBytes({ ...rendered, etag: etagOf(rendered.body) });
      if (ttlMs > 0 && now() >= noCacheUntil) {
        entries.set(key, { value, expires: t + ttlMs });
        while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      }
      return value;
    },
    invalidate(which) {
      if (which) {
        for (const key of [...entries.keys()]) if (which(key)) entries.delete(key);
      } else entries.clear();
      noCacheUntil = now() + graceMs;
    },
    get size() {
      return entries.size;
    },
  };
}

/** Adds the byte forms of the body: UTF-8 now, gzip lazily (most bodies are served compressed). */
function withBytes(entry: RenderedResponse & { etag: string }): CachedResponse {
  const bytes = new TextEncoder().encode(entry.body);
  let gzipped: Uint8Array<ArrayBuffer> | undefined;
  return { ...entry, bytes, gzipped: () => (gzipped ??= new Uint8Array(gzipSync(bytes, { level: 6 }))) };
}
