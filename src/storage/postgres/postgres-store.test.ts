import { storeSuite } from '../store-suite.js';
import type { Store } from '../store.js';
import { startEmbeddedPostgres } from '../../testing/embedded-postgres.js';
import { createPostgresStore } from './postgres-store.js';

storeSuite('postgres', async () => {
  const server = await startEmbeddedPostgres();
  const stores = new Set<Store>();
  const open = (): Store => {
    const store = createPostgresStore({ url: server.url, maxConnections: 3 });
    stores.add(store);
    return store;
  };
  const first = open();
  return {
    store: first,
    async reopen() {
      for (const store of stores) await store.close();
      stores.clear();
      return open();
    },
    async second() {
      return open();
    },
    async cleanup() {
      for (const store of stores) await store.close();
      await server.stop();
    },
  };
});
