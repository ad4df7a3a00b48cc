/**
 * Benchmark 2 — the status page. 100 checks with 90 days of history written through the Store
 * API, served by `createApp` on @hono/node-server (one process with the response cache, one
 * with caching off), against a static node:http server sending the same bytes, all loaded by a
 * separate keep-alive load-generator process. Then the page under live results: 500 checks at a
 * 20 s interval publishing on the app's result bus (~25 results/s) while the same routes are
 * loaded, against a static server with that page's bytes. Plus the in-process cost of one
 * uncached render as the server does it (reads included) at 100 and at 1,000 checks.
 * @module
 */
import { join } from 'node:path';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { startWorker, type Message, type Worker } from '../lib/child.ts';
import { numberOption, profileArgs, type Bench, type Row } from '../lib/bench.ts';
import { seedHistory } from '../lib/seed-history.ts';
import { round, thousands } from '../lib/stats.ts';
import { pageChecks, pageConfig } from './page-fixture.ts';
import { timeRender } from './render-timing.ts';
import type { LoadParams } from './load-worker.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

interface LoadReport extends Message {
  windowS: number;
  ok: number;
  errors: number;
  bytes: number;
  rps: number;
  latency: { n: number; p50: number; p90: number; p99: number; max: number };
}

async function load(params: LoadParams): Promise<LoadReport> {
  const worker = await startWorker(new URL('./load-worker.ts', import.meta.url), params);
  try {
    return await worker.next<LoadReport>('result', params.warmupMs + params.durationMs + 60_000);
  } finally {
    await worker.close();
  }
}

async function startServer(file: string, params: unknown, execArgv: string[] = []): Promise<{ worker: Worker; origin: string }> {
  const worker = await startWorker(new URL(file, import.meta.url), params, { execArgv });
  const { port } = await worker.next<Message & { port: number }>('ready', 60_000);
  return { worker, origin: `http://127.0.0.1:${port}` };
}

interface Usage extends Message {
  cpu: NodeJS.CpuUsage;
  rss: number;
  renders?: Record<string, number>;
  live?: { batches: number; results: number };
}

async function usageOf(worker: Worker): Promise<Usage> {
  worker.send({ type: 'usage' });
  return worker.next<Usage>('usage', 5000);
}

async function cpuOf(worker: Worker): Promise<number> {
  const { cpu } = await usageOf(worker);
  return (cpu.user + cpu.system) / 1e6;
}

/** Bodies of `paths` as `origin` serves them now (identity), for the static server. */
async function bodiesOf(origin: string, paths: readonly string[]) {
  const bodies: { path: string; contentType: string; body: string }[] = [];
  for (const path of paths) {
    const res = await fetch(`${origin}${path}`, { headers: { 'accept-encoding': 'identity' } });
    bodies.push({ path, contentType: res.headers.get('content-type') ?? 'text/plain', body: await res.text() });
  }
  return bodies;
}

/**
 * A store with the rollups a page reads for `names` — 90 days of daily and 7 days of hourly
 * buckets, plus an hour of 1-minute results — written quickly: one result a day before the last
 * week, one an hour within it. The page reads the same rows as after a real 90 days.
 */
async function seedReadShape(path: string, names: readonly string[], now: number, log: (line: string) => void) {
  const store = createSqliteStore({ path });
  await store.migrate();
  const week = now - 7 * DAY;
  const common = { checks: names, rawIntervalMs: 60_000, batchSize: 20_000 };
  const older = await seedHistory(store, { ...common, now: week, historyMs: 83 * DAY, rawWindowMs: 0, olderIntervalMs: DAY });
  const recent = await seedHistory(store, { ...common, now, historyMs: 7 * DAY, rawWindowMs: HOUR, olderIntervalMs: HOUR });
  log(`page: ${thousands(older.results + recent.results)} results for ${names.length} checks in ${round(older.writeS + recent.writeS, 1)} s`);
  return store;
}

export const pageBench: Bench = async (options) => {
  const quick = options.quick;
  const checkCount = numberOption(options, 'page-checks', 100);
  const connections = numberOption(options, 'connections', 16);
  const durationMs = numberOption(options, 'duration', quick ? 3_000 : 8_000);
  const olderMinutes = numberOption(options, 'older-interval', quick ? 60 : 15);
  const rawHours = numberOption(options, 'raw-hours', quick ? 6 : 48);
  const dbPath = join(options.tmpDir, 'page.db');
  const checks = pageChecks(checkCount);

  // ── history ───────────────────────────────────────────────────────────────────────────────
  const store = createSqliteStore({ path: dbPath });
  await store.migrate();
  const now = Date.now();
  const seeded = await seedHistory(store, {
    checks: checks.map((c) => c.name),
    now,
    historyMs: 90 * DAY,
    rawWindowMs: rawHours * HOUR,
    rawIntervalMs: 60_000,
    olderIntervalMs: olderMinutes * 60_000,
    batchSize: 20_000,
    onProgress: (done) => options.log(`page: seeding history ${Math.round(done * 100)}%`),
  });
  const recentIncidentAt = now - 3 * DAY;
  await store.saveIncident({
    id: 'db-latency', kind: 'incident', title: 'Elevated API latency', status: 'resolved', impact: 'minor',
    checks: [checks[1].name, checks[6].name], createdAt: recentIncidentAt, updatedAt: recentIncidentAt + HOUR, resolvedAt: recentIncidentAt + HOUR, source: 'api',
    updates: [
      { id: 'u1', status: 'investigating', body: 'We are looking into slow API responses.', at: recentIncidentAt },
      { id: 'u2', status: 'resolved', body: 'A database index was rebuilt; latency is back to normal.', at: recentIncidentAt + HOUR },
    ],
  });
  options.log(`page: ${thousands(seeded.results)} results written in ${round(seeded.writeS, 1)} s; timing renders`);
  const render = await timeRender(store, pageConfig(checks, 0), quick ? 20 : 60);
  await store.close();
  const largeCount = numberOption(options, 'large-checks', 1_000);
  const liveCount = numberOption(options, 'live-checks', 500);
  const liveIntervalS = numberOption(options, 'live-interval', 20);
  const largeDb = join(options.tmpDir, 'page-large.db');
  const largeStore = await seedReadShape(largeDb, pageChecks(Math.max(largeCount, liveCount)).map((c) => c.name), now, options.log);
  options.log(`page: timing renders at ${largeCount} checks`);
  const renderLarge = await timeRender(largeStore, pageConfig(pageChecks(largeCount), 0), quick ? 8 : 20);
  await largeStore.close();

  // ── servers ───────────────────────────────────────────────────────────────────────────────
  const cached = await startServer('./app-server-worker.ts', { dbPath, checks: checkCount, cacheSeconds: 30 }, profileArgs(options, 'page-cached'));
  const uncached = await startServer('./app-server-worker.ts', { dbPath, checks: checkCount, cacheSeconds: 0 }, profileArgs(options, 'page-uncached'));
  let staticServer: { worker: Worker; origin: string } | undefined;
  let live: { worker: Worker; origin: string } | undefined;
  let liveStatic: { worker: Worker; origin: string } | undefined;
  try {
    const paths = ['/', '/api/v1/status'];
    const v2 = await fetch(`${cached.origin}/api/v2/summary.json`);
    await v2.arrayBuffer();
    if (v2.status === 200) paths.push('/api/v2/summary.json');
    const bodies = await bodiesOf(cached.origin, paths);
    staticServer = await startServer('./static-server-worker.ts', { bodies });

    const runs: { path: string; server: string; report: LoadReport; serverCpuS: number }[] = [];
    // every route identity-encoded, plus `/` as a browser asks for it (gzip): the app compresses
    // per response, the static server sends bytes compressed once
    const cases = [...paths.map((path) => ({ path, label: path, headers: undefined })), { path: '/', label: '/ (gzip)', headers: { 'accept-encoding': 'gzip' } }];
    for (const { path, label, headers } of cases) {
      for (const [server, target] of [['static', staticServer], ['cached', cached], ['uncached', uncached]] as const) {
        options.log(`page: ${server} ${label}`);
        const c0 = await cpuOf(target.worker).catch(() => Number.NaN);
        const report = await load({ origin: target.origin, path, connections, warmupMs: 1_000, durationMs, headers });
        const c1 = await cpuOf(target.worker).catch(() => Number.NaN);
        runs.push({ path: label, server, report, serverCpuS: c1 - c0 });
      }
    }

    // ── the page under live results ─────────────────────────────────────────────────────────
    const livePaths = ['/', '/api/v1/status', '/api/v2/summary.json'];
    live = await startServer('./app-server-worker.ts', { dbPath: largeDb, checks: liveCount, cacheSeconds: 30, live: { intervalMs: liveIntervalS * 1000 } }, profileArgs(options, 'page-live'));
    const liveBodies = await bodiesOf(live.origin, livePaths);
    liveStatic = await startServer('./static-server-worker.ts', { bodies: liveBodies });
    const liveRuns: { path: string; server: string; report: LoadReport; serverCpuS: number; renders: number; results: number; batches: number; wallS: number }[] = [];
    for (const path of livePaths) {
      for (const [server, target] of [['static', liveStatic], ['live', live]] as const) {
        options.log(`page: ${server} ${path} with live results`);
        const u0 = await usageOf(target.worker);
        const w0 = performance.now();
        const report = await load({ origin: target.origin, path, connections, warmupMs: 1_000, durationMs });
        const u1 = await usageOf(target.worker);
        const wallS = (performance.now() - w0) / 1000;
        const cpuS = (u1.cpu.user + u1.cpu.system - u0.cpu.user - u0.cpu.system) / 1e6;
        const key = path === '/' ? 'page:/' : path === '/api/v1/status' ? 'api:/status' : undefined;
        // the static server counts no renders
        const renderCount = (u: Usage) => (key ? (u.renders?.[key] ?? 0) : Object.entries(u.renders ?? {}).filter(([k]) => k.startsWith('v2:')).reduce((n, [, v]) => n + v, 0));
        liveRuns.push({
          path,
          server,
          report,
          serverCpuS: cpuS,
          renders: renderCount(u1) - renderCount(u0),
          results: (u1.live?.results ?? 0) - (u0.live?.results ?? 0),
          batches: (u1.live?.batches ?? 0) - (u0.live?.batches ?? 0),
          wallS,
        });
      }
    }
    const liveRss = (await usageOf(live.worker)).rss;

    const rows: Row[] = [
      { metric: 'history', value: `${checkCount} checks × 90 days`, note: `${thousands(seeded.results)} results via recordResults: 1-minute results for the last ${rawHours} h, one per ${olderMinutes} min before (older history only survives as rollups; same rows, fewer writes); ${round(seeded.writeS, 1)} s` },
      { metric: 'page size', value: `${thousands(bodies[0].body.length)} B HTML`, note: paths.slice(1).map((p, i) => `${p}: ${thousands(bodies[i + 1].body.length)} B`).join(', ') },
      { metric: 'uncached render: reads (states + rollups in memory, incidents from the store)', value: `p50 ${round(render.reads.p50, 2)} ms, p99 ${round(render.reads.p99, 2)} ms`, note: `first read of the live facts from the store: ${round(render.factsLoadMs, 1)} ms (once per server)` },
      { metric: 'uncached render: buildStatusModel', value: `p50 ${round(render.build.p50, 2)} ms, p99 ${round(render.build.p99, 2)} ms` },
      { metric: 'uncached render: index.njk', value: `p50 ${round(render.template.p50, 2)} ms, p99 ${round(render.template.p99, 2)} ms` },
      { metric: 'uncached render: reads + model + template', value: `p50 ${round(render.total.p50, 2)} ms, p99 ${round(render.total.p99, 2)} ms`, note: `after a batch for 10% of the checks; after one for every check (nothing derived reused) p50 ${round(render.allChanged.p50, 2)} ms; pure (model + template) p50 ${round(render.pure.p50, 2)} ms; /api/v1/status JSON p50 ${round(render.json.p50, 2)} ms` },
      { metric: 'uncached render, page Lambda (all from the store)', value: `p50 ${round(render.lambda.p50, 2)} ms, p99 ${round(render.lambda.p99, 2)} ms`, note: `of which store reads p50 ${round(render.storeReads.p50, 2)} ms` },
      { metric: `uncached render at ${largeCount} checks: reads + model + template`, value: `p50 ${round(renderLarge.total.p50, 2)} ms, p99 ${round(renderLarge.total.p99, 2)} ms`, note: `after a batch for 10% of the checks: reads p50 ${round(renderLarge.reads.p50, 2)} ms, model ${round(renderLarge.build.p50, 2)} ms, template ${round(renderLarge.template.p50, 2)} ms; after a batch for every check p50 ${round(renderLarge.allChanged.p50, 2)} ms; ${thousands(renderLarge.htmlBytes)} B HTML; first facts read ${round(renderLarge.factsLoadMs, 1)} ms; Lambda path p50 ${round(renderLarge.lambda.p50, 2)} ms (store reads ${round(renderLarge.storeReads.p50, 2)} ms)` },
      { metric: 'live results', value: `${liveCount} checks every ${liveIntervalS} s`, note: `published on the app's bus, stored first: ${liveRuns.filter((r) => r.server === 'live').map((r) => `${round(r.results / r.wallS, 1)}/s`).join(', ')} during the runs (load worker start-up included); page ${thousands(liveBodies[0].body.length)} B; server RSS ${round(liveRss / 2 ** 20, 0)} MB at the end` },
    ];
    for (const run of liveRuns) {
      const base = liveRuns.find((r) => r.path === run.path && r.server === 'static')!;
      rows.push({
        metric: `${run.path} ${run.server === 'live' ? 'cached, live results' : 'static (live page bytes)'}`,
        value: `${thousands(run.report.rps)} req/s, p99 ${round(run.report.latency.p99, 1)} ms`,
        note: `${run.server === 'static' ? 'baseline' : `${round((run.report.rps / base.report.rps) * 100, 1)}% of static; ${run.renders} renders for ${thousands(run.report.ok)} requests while ${run.batches} batches (${run.results} results) arrived`}; ${run.report.errors} errors; server CPU ${round((run.serverCpuS / Math.max(1, run.report.ok)) * 1e6, 0)} µs/req`,
      });
    }
    for (const run of runs) {
      const base = runs.find((r) => r.path === run.path && r.server === 'static')!;
      rows.push({
        metric: `${run.path} ${run.server}`,
        value: `${thousands(run.report.rps)} req/s, p99 ${round(run.report.latency.p99, 1)} ms`,
        note: `${run.server === 'static' ? 'baseline' : `${round((run.report.rps / base.report.rps) * 100, 1)}% of static`}; p50 ${round(run.report.latency.p50, 1)} ms; ${run.report.errors} errors; server CPU ${round((run.serverCpuS / Math.max(1, run.report.ok)) * 1e6, 0)} µs/req`,
      });
    }
    const bars = cases.map(({ label: path }) => {
      const s = runs.find((r) => r.path === path && r.server === 'static')!.report.rps;
      const c = runs.find((r) => r.path === path && r.server === 'cached')!.report.rps;
      return { bar: `${path} cached ≥ 50% of static req/s`, measured: `${round((c / s) * 100, 1)}% (${thousands(c)} vs ${thousands(s)} req/s)`, met: c >= 0.5 * s };
    });
    for (const path of livePaths) {
      const s = liveRuns.find((r) => r.path === path && r.server === 'static')!;
      const c = liveRuns.find((r) => r.path === path && r.server === 'live')!;
      bars.push({
        bar: `${path} with live results (${liveCount} checks at ${liveIntervalS} s) ≥ 50% of static req/s`,
        measured: `${round((c.report.rps / s.report.rps) * 100, 1)}% (${thousands(c.report.rps)} vs ${thousands(s.report.rps)} req/s; ${c.renders} renders)`,
        met: c.report.rps >= 0.5 * s.report.rps,
      });
    }
    // met only when a render after every check changed (or the hour turned) is within the bar too
    const renderMeasured = (r: typeof render) => `p50 ${round(r.total.p50, 2)} ms, p99 ${round(r.total.p99, 2)} ms (10% of checks changed); every check changed p50 ${round(r.allChanged.p50, 2)} ms`;
    bars.push({ bar: `uncached render, reads included, p50 ≤ 10 ms at ${checkCount} checks × 90 days`, measured: renderMeasured(render), met: Math.max(render.total.p50, render.allChanged.p50) <= 10 });
    bars.push({ bar: `uncached render, reads included, p50 ≤ 50 ms at ${largeCount} checks`, measured: renderMeasured(renderLarge), met: Math.max(renderLarge.total.p50, renderLarge.allChanged.p50) <= 50 });
    return {
      name: 'page',
      rows,
      bars,
      data: { checkCount, connections, durationMs, seeded, render, renderLarge, runs: runs.map((r) => ({ ...r, report: { ...r.report } })), liveRuns },
    };
  } finally {
    await Promise.all([cached.worker.close(), uncached.worker.close(), staticServer?.worker.close(), live?.worker.close(), liveStatic?.worker.close()]);
  }
};
