/**
 * Chooses the store from a `--store` value: a `postgres://` URL selects PostgreSQL (the store
 * cluster mode needs); anything else is a SQLite file path (the default `<data>/upstate.db`).
 * The store never picks the mode (`src/modes/serve-mode.ts` checks that the two fit).
 * Backends are imported lazily so the embedded mode never loads `pg`.
 * @module
 */
import { join } from 'node:path';
import type { EmbeddedStore, Store } from './store.ts';

export interface StoreLocation {
  kind: 'sqlite' | 'postgres';
  /** File path (sqlite) or connection URL (postgres). */
  target: string;
  readUrl?: string;
}

export function resolveStoreLocation(options: { store?: string; data?: string; readUrl?: string }): StoreLocation {
  const store = options.store;
  if (store && /^postgres(ql)?:\/\//.test(store)) return { kind: 'postgres', target: store, readUrl: options.readUrl };
  return { kind: 'sqlite', target: store ?? join(options.data ?? './data', 'upstate.db') };
}

/** Opens the store a location names: PostgreSQL has every port, SQLite all but the shared schedule. */
export async function openStore(location: StoreLocation & { kind: 'postgres' }): Promise<Store>;
export async function openStore(location: StoreLocation): Promise<EmbeddedStore>;
export async function openStore(location: StoreLocation): Promise<EmbeddedStore> {
  if (location.kind === 'postgres') {
    const { createPostgresStore } = await import('./postgres/postgres-store.ts');
    return createPostgresStore({ url: location.target, readUrl: location.readUrl });
  }
  // the SQLite store creates (and checks) its directory itself, with a clear error when it cannot
  const { createSqliteStore } = await import('./sqlite/sqlite-store.ts');
  return createSqliteStore({ path: location.target });
}

/** Human description of where data lives, for start-up logs (no credentials). */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return `sqlite ${location.target}`;
  try {
    const url = new URL(location.target);
    return `postgres ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'postgres';
  }
}
