/**
 * Opens the store of a cluster instance: the PostgreSQL store with live-update announcements
 * switched on (each `recordResults` sends a NOTIFY naming the changed checks, inside its
 * transaction, tagged with this instance's id so the instance can skip its own echo).
 * @module
 */
import type { Store } from '../storage/store.ts';
import type { StoreLocation } from '../storage/open-store.ts';

export async function openClusterStore(location: StoreLocation, owner: string, onPoolError?: (error: Error) => void): Promise<Store> {
  if (location.kind !== 'postgres') throw new Error('cluster mode needs a postgres:// store');
  const { createPostgresStore } = await import('../storage/postgres/postgres-store.ts');
  return createPostgresStore({ url: location.target, readUrl: location.readUrl, announceOrigin: owner, onPoolError });
}
