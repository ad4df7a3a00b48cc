/**
 * A small in-process LRU + TTL cache of rendered responses (HTML, JSON). Rendering a page for a
 * hundred checks costs a store read and a template pass; between result batches every visitor
 * would get the same bytes, so they are rendered once. `invalidate()` runs when the result bus
 * publishes, and for a short grace period afterwards nothing is cached, because the store writer
 * may still be flushing that batch.
 * @module
 */
import { createHash } from 'node:crypto';

/** A rendered body plus the validators sent with it. */
export interface CachedResponse {
  body: string;
  contentType: string;
  /** Strong ETag of the body (quoted). */
  etag: string;
  /** Epoch ms used for `Last-Modified`. */
  lastModified: number;
  status: number;
}

export interface ResponseCache {
  /** The cached entry for `key`, or the one produced by `render` (cached unless in grace). */
  get(key: string, render: () => Promise<Omit<CachedResponse, 'etag'>>): Promise<CachedResponse>;
  invalidate(): void;
  readonly size: number;
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
  const { ttlMs, maxEntries = 200, graceMs = 3000, now = Date.now } = options;
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
      const value: CachedResponse = { ...rendered, etag: etagOf(rendered.body) };
      if (ttlMs > 0 && now() >= noCacheUntil) {
        entries.set(key, { value, expires: t + ttlMs });
        while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      }
      return value;
    },
    invalidate() {
      entries.clear();
      noCacheUntil = now() + graceMs;
    },
    get size() {
      return entries.size;
    },
  };
}
