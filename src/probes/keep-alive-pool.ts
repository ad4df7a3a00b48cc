/**
 * Idle connections kept between probe runs, so checks of the same origin reuse one open
 * connection instead of paying a TCP (and TLS) handshake per run: at 500 checks every 20 s
 * against one origin, connecting was a quarter of the server's CPU. One pool per engine, handed
 * to probes in their context (probes keep no globals); a probe takes an item for the length of
 * one run, so an item is never shared by two runs at once.
 *
 * Bounded: at most `perKey` idle items per key and `total` in all — a release beyond either
 * closes the item instead — and an item idle longer than `idleMs` is closed rather than handed
 * out. The items are expected to close their own idle sockets (undici's keep-alive timeout);
 * what the pool holds past that is a small object without a socket.
 * @module
 */

/** Options of `createKeepAlivePool`. */
export interface KeepAlivePoolOptions {
  /** Idle items kept per key (default 16). */
  perKey?: number;
  /** Idle items kept in all (default 512). */
  total?: number;
  /** An item idle longer than this is closed instead of reused (default 30 s). */
  idleMs?: number;
  /**
   * An item older than this (from the `openedAt` given on release) is closed instead of kept
   * (default 10 s), so a busy origin still gets a fresh, measured handshake every few seconds and
   * a server that stopped accepting new connections cannot hide behind one kept open.
   */
  maxAgeMs?: number;
  /** Monotonic ms clock (default `performance.now`). */
  now?(): number;
}

/** The pool a probe sees in its context. */
export interface KeepAlivePool {
  /** The most recently released idle item under `key`, removed from the pool; `undefined` if none. */
  take<T>(key: string): T | undefined;
  /**
   * Keeps `item` for a later run under `key`, or closes it with `close` when the pool is full or
   * closed, or the item (opened at `openedAt`, same clock as `now`) is past `maxAgeMs`.
   */
  release<T>(key: string, item: T, close: (item: T) => void, openedAt: number): void;
  /** Idle items held now (for tests and metrics). */
  size(): number;
  /** Closes every idle item; later releases close their item at once. */
  close(): void;
}

interface Idle {
  item: unknown;
  close(item: unknown): void;
  at: number;
}

export function createKeepAlivePool(options: KeepAlivePoolOptions = {}): KeepAlivePool {
  const perKey = options.perKey ?? 16;
  const total = options.total ?? 512;
  const idleMs = options.idleMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const idle = new Map<string, Idle[]>();
  let count = 0;
  let closed = false;

  const dispose = (entry: Idle) => {
    try {
      entry.close(entry.item);
    } catch {
      // closing a dead connection has nothing left to report
    }
  };

  return {
    take<T>(key: string): T | undefined {
      const list = idle.get(key);
      if (!list) return undefined;
      const cutoff = now() - idleMs;
      // the oldest sit at the front: drop the expired ones, hand out the newest (warmest socket)
      while (list.length && list[0].at < cutoff) {
        dispose(list.shift() as Idle);
        count--;
      }
      const entry = list.pop();
      if (!list.length) idle.delete(key);
      if (!entry) return undefined;
      count--;
      return entry.item as T;
    },
    release<T>(key: string, item: T, close: (item: T) => void, openedAt: number): void {
      const entry: Idle = { item, close: close as (item: unknown) => void, at: now() };
      const list = idle.get(key) ?? [];
      if (closed || list.length >= perKey || count >= total || entry.at - openedAt > maxAgeMs) {
        dispose(entry);
        return;
      }
      list.push(entry);
      idle.set(key, list);
      count++;
    },
    size: () => count,
    close() {
      closed = true;
      for (const list of idle.values()) for (const entry of list) dispose(entry);
      idle.clear();
      count = 0;
    },
  };
}
