/**
 * `GET /readyz` for load balancers: 200 when this instance can serve — its store answers a
 * trivial query within `timeoutMs` — else 503 (take the instance out of rotation, do not kill
 * it). The server starts only after `store.migrate()` succeeded, so a store that answers is a
 * migrated one. `/healthz` (always 200, in the web app) stays the liveness probe.
 * Works for every store: the query goes through the `Store` interface. A store that answers
 * reads but fails writes (full disk, read-only data directory) is not ready either: the caller's
 * `unreadyReason` says why, and that reason is in the 503 body.
 * @module
 */
import { Hono } from 'hono';
import type { Store } from '../storage/store.ts';

export interface ReadinessDeps {
  store: Pick<Store, 'listCredentials'>;
  /** Longest wait for the store, ms (default 2000). */
  timeoutMs?: number;
  onUnready?(error: unknown): void;
  /**
   * Why this instance cannot serve although the store answers reads (e.g. writes fail on a full
   * disk), in words safe to show; undefined when nothing is wrong.
   */
  unreadyReason?(): string | undefined;
}

export function createReadinessRoutes(deps: ReadinessDeps): Hono {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const app = new Hono();
  app.get('/readyz', async (c) => {
    const headers = { 'Cache-Control': 'no-store' };
    const reason = deps.unreadyReason?.();
    if (reason !== undefined) return c.json({ status: 'unavailable', reason }, 503, headers);
    let timer: NodeJS.Timeout | undefined;
    try {
      // the smallest indexed read every store has; it fails if the schema is missing
      await Promise.race([
        deps.store.listCredentials('admin'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`store did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return c.json({ status: 'ready' }, 200, headers);
    } catch (error) {
      // the reason goes to the log, not to whoever asks (it may name database hosts)
      deps.onUnready?.(error);
      return c.json({ status: 'unavailable' }, 503, headers);
    } finally {
      clearTimeout(timer);
    }
  });
  return app;
}
