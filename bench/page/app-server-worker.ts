/**
 * Child process: Upstate's web app (`createApp`) over the seeded SQLite file, served by
 * @hono/node-server on 127.0.0.1 — exactly how `upstate serve` serves it, minus the monitor.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../../src/http/create-app.ts';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { exitWithParent, reply, runWorker, workerParams } from '../lib/child.ts';
import { pageChecks, pageConfig } from './page-fixture.ts';

runWorker(async () => {
  const p = await workerParams<{ dbPath: string; checks: number; cacheSeconds: number }>();
  const store = createSqliteStore({ path: p.dbPath });
  await store.migrate();
  const app = createApp({ config: pageConfig(pageChecks(p.checks), p.cacheSeconds), store });
  const port = await new Promise<number>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port)) as Server;
    exitWithParent(async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
    });
  });
  process.on('message', (m) => {
    if ((m as { type: string }).type === 'usage') reply({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage.rss() });
  });
  reply({ type: 'ready', port });
});
