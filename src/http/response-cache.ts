/**
 * A small in-process LRU + TTL cache of rendered responses (HTML, JSON). Rendering a page for a
 * hundred checks costs a model build and a template pass; between result batches every visitor
 * would get the same bytes, so they are rendered once, and concurrent misses for one key share
 * that one render.
 *
 * Two kinds of freshness loss (see docs/configuration.md, "Freshness"):
 * - `invalidate()` drops outputs at once: admin writes, and result batches that change what a
 *   visitor sees about status (a check's status, an incident).
 * - `markStale()` keeps outputs servable for `liveRefreshMs`: result batches that only add results
 *   to checks whose status is unchanged. A stale output is served as is; once its render is half
 *   the window old, the first request starts ONE background re-render (stale-while-revalidate),
 *   and output stale longer than the window is never served (the request waits for the render).
 *
 * The store writer runs first on the result bus, so by the time the page bus publishes the batch
 * is stored and the next render may be cached at once. (`graceMs` remains for callers whose
 * invalidation can precede the write.)
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
  /**
   * The cached entry for `key`, or the one produced by `render` (cached unless in grace or
   * invalidated while rendering). Concurrent misses for one key share one render.
   */
  get(key: string, render: () => Promise<RenderedResponse>): Promise<CachedResponse>;
  /** Drops every entry, or only those whose key `which` selects. */
  invalidate(which?: (key: string) => boolean): void;
  /**
   * Marks the entries `which` selects stale but servable for the live window (see the module
   * comment); drops them when the window is 0.
   */
  markStale(which: (key: string) => boolean): void;
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

interface Entry {
  value: CachedResponse;
  expires: number;
  /** When the render that made it started: the results it shows are those stored by then. */
  renderedAt: number;
  /** When results it does not show were first announced (undefined: fresh). */
  staleSince?: number;
}

interface Flight {
  promise: Promise<CachedResponse>;
  /** Hard-invalidated while rendering: hand the output to those waiting, but do not keep it. */
  dropped: boolean;
  /** Marked stale while rendering: the entry it makes is stale from then. */
  staleSince?: number;
}

export function createResponseCache(options: {
  ttlMs: number;
  maxEntries?: number;
  /** After an invalidation, how long rendered output is served uncached. */
  graceMs?: number;
  /** How long output marked stale by `markStale` may still be served (0: `markStale` drops it). */
  liveRefreshMs?: number;
  now?: () => number;
  /** Called as each render starts (tests and the page benchmark count renders with it). */
  onRender?: (key: string) => void;
  /** A background re-render failed; the stale output stays until the window ends. */
  onBackgroundError?: (error: unknown, key: string) => void;
}): ResponseCache {
  const { ttlMs, maxEntries = 200, graceMs = 0, liveRefreshMs = 0, now = Date.now } = options;
  const entries = new Map<string, Entry>();
  const flights = new Map<string, Flight>();
  let noCacheUntil = 0;

  function renderOnce(key: string, render: () => Promise<RenderedResponse>): Promise<CachedResponse> {
    const running = flights.get(key);
    if (running) return running.promise;
    const startedAt = now();
    const flight: Flight = { promise: undefined as unknown as Promise<CachedResponse>, dropped: false };
    options.onRender?.(key);
    flight.promise = (async () => {
      try {
        const rendered = await render();
        const value = withBytes({ ...rendered, etag: etagOf(rendered.body) });
        if (ttlMs > 0 && !flight.dropped && now() >= noCacheUntil) {
          entries.delete(key);
          entries.set(key, { value, expires: startedAt + ttlMs, renderedAt: startedAt, staleSince: flight.staleSince });
          while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
        }
        return value;
      } finally {
        flights.delete(key);
      }
    })();
    flights.set(key, flight);
    return flight.promise;
  }

  return {
    async get(key, render) {
      const t = now();
      const hit = entries.get(key);
      if (hit && hit.expires > t && (hit.staleSince === undefined || t - hit.staleSince < liveRefreshMs)) {
        if (hit.staleSince !== undefined && t - hit.renderedAt >= liveRefreshMs / 2 && !flights.has(key)) {
          renderOnce(key, render).catch((error) => options.onBackgroundError?.(error, key));
        }
        // Re-insert to mark it most recently used (Map keeps insertion order).
        entries.delete(key);
        entries.set(key, hit);
        return hit.value;
      }
      // expired entries go; one stale past its window stays until its replacement is rendered
      if (hit && hit.expires <= t) entries.delete(key);
      return renderOnce(key, render);
    },
    invalidate(which) {
      if (which) {
        for (const key of [...entries.keys()]) if (which(key)) entries.delete(key);
      } else entries.clear();
      for (const [key, flight] of flights) if (!which || which(key)) flight.dropped = true;
      noCacheUntil = now() + graceMs;
    },
    markStale(which) {
      if (liveRefreshMs <= 0) return this.invalidate(which);
      const t = now();
      for (const [key, entry] of entries) if (which(key)) entry.staleSince ??= t;
      for (const [key, flight] of flights) if (which(key)) flight.staleSince ??= t;
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
