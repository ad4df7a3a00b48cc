/**
 * Child process: Upstate's web app (`createApp`) over the seeded SQLite file, served by
 * @hono/node-server on 127.0.0.1 — exactly how `upstate serve` serves it, minus the monitor.
 *
 * With `live`, it also runs what the monitor would feed the page: a result bus with the store
 * writer first, and every second the results of the checks due in that second (each check once
 * per `intervalMs`, at its own phase), published as one batch — as the engine's batcher does.
 * The results are the seeded history's kind (~0.3% down, single failures that confirm no status
 * change), so the states keep their status. Renders are counted per cache key.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../../src/http/create-app.ts';
import { createResultBus } from '../../src/kernel/result-bus.ts';
import { subscribeStoreWriter } from '../../src/engine/store-writer.ts';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../../src/storage/store.ts';
import type { CheckState } from '../../src/domain/status.ts';
import type { CheckResult } from '../../src/domain/result.ts';
import type { ResultBus } from '../../src/kernel/result-bus.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';
import { exitWithParent, reply, runWorker, workerParams } from '../lib/child.ts';
import { syntheticResult } from '../lib/seed-history.ts';
import { pageChecks, pageConfig } from './page-fixture.ts';

export interface AppServerParams {
  dbPath: string;
  checks: number;
  cacheSeconds: number;
  /** Publish live results for every check, each once per `intervalMs`. */
  live?: { intervalMs: number };
}

/** Publishes one batch a second of the checks due in it; returns a stop function and counters. */
async function publishLive(bus: ResultBus, store: EmbeddedStore, names: readonly string[], intervalMs: number) {
  const random = seededRandom(7);
  const states = new Map<string, CheckState>((await store.readStates()).map((s) => [s.check, s]));
  const counts = { batches: 0, results: 0 };
  let from = Date.now();
  let publishing = Promise.resolve();
  const tick = () => {
    const to = Date.now();
    const results: CheckResult[] = [];
    for (let i = 0; i < names.length; i++) {
      const phase = Math.floor((i / names.length) * intervalMs);
      // the check's run times are phase + k·interval; one falls in [from, to) when the offsets wrap
      const next = from + ((((phase - from) % intervalMs) + intervalMs) % intervalMs);
      if (next < to) results.push(syntheticResult(names[i], next, random));
    }
    from = to;
    const batch = results.map((r) => {
      const prev = states.get(r.check);
      const state: CheckState = { check: r.check, status: prev?.status ?? 'up', since: prev?.since ?? r.at, lastResult: r, streak: 0 };
      states.set(r.check, state);
      return state;
    });
    counts.batches++;
    counts.results += results.length;
    publishing = publishing.then(() => bus.publish({ results, states: batch }));
  };
  const timer = setInterval(tick, 1000);
  return { counts, stop: () => clearInterval(timer) };
}

runWorker(async () => {
  const p = await workerParams<AppServerParams>();
  const store = createSqliteStore({ path: p.dbPath });
  await store.migrate();
  const checks = pageChecks(p.checks);
  const renders: Record<string, number> = {};
  const bus = p.live ? createResultBus((error) => console.error('result listener failed', error)) : undefined;
  if (bus) subscribeStoreWriter(bus, store);
  const app = createApp({ config: pageConfig(checks, p.cacheSeconds), store, bus, onRender: (key) => (renders[key] = (renders[key] ?? 0) + 1) });
  const live = bus && p.live ? await publishLive(bus, store, checks.map((c) => c.name), p.live.intervalMs) : undefined;
  const port = await new Promise<number>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port)) as Server;
    exitWithParent(async () => {
      live?.stop();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
    });
  });
  process.on('message', (m) => {
    if ((m as { type: string }).type === 'usage') {
      reply({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), renders: { ...renders }, live: live && { ...live.counts } });
    }
  });
  reply({ type: 'ready', port });
});
