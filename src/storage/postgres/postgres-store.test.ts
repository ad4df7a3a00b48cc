import { storeSuite } from '../../../test/support/store-suite.ts';
import type { Store } from '../store.ts';
import { startEmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import { createPostgresStore } from './postgres-store.ts';

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
