/**
 * A migrated PostgreSQL store on a throw-away server, for the tests of one `describe`: registers
 * the hooks that start and stop both, and hands the open store to `onOpen` (which may also seed it).
 * @module
 */
import { after, before } from 'node:test';
import { createPostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

export function usePostgresStore(onOpen: (store: Store) => void | Promise<void>): void {
  let server: EmbeddedPostgres | undefined;
  let store: Store | undefined;
  before(async () => {
    server = await startEmbeddedPostgres();
    store = createPostgresStore({ url: server.url, maxConnections: 2 });
    await store.migrate();
    await onOpen(store);
  });
  after(async () => {
    await store?.close();
    await server?.stop();
  });
}
