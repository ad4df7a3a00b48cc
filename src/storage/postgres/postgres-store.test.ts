import { after } from 'node:test';
import type { Store } from '../store.ts';
import { storeSuites, type PortHarness } from '../../../test/support/store-suite.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import { createPgPool } from './pg-pool.ts';
import { createPostgresStore } from './postgres-store.ts';

/** One server for the file; each port suite gets a database of its own, so each starts empty. */
let server: Promise<EmbeddedPostgres> | undefined;
let databases = 0;
after(async () => {
  await (await server)?.stop();
});

async function openHarness(): Promise<PortHarness<Store>> {
  server ??= startEmbeddedPostgres();
  const { url: adminUrl } = await server;
  const name = `ports_${++databases}`;
  const admin = createPgPool(adminUrl, { max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const stores = new Set<Store>();
  const open = (): Store => {
    const store = createPostgresStore({ url: url.href, maxConnections: 3 });
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
    },
  };
}

// PostgreSQL serves cluster mode: every port
storeSuites('postgres', openHarness);
