/**
 * Benchmark 2 — the status page. 100 checks with 90 days of history written through the Store
 * API, served by `createApp` on @hono/node-server (one process with the response cache, one
 * with caching off), against a static node:http server sending the same bytes, all loaded by a
 * separate keep-alive load-generator process. Plus the in-process cost of one uncached render.
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

async function cpuOf(worker: Worker): Promise<number> {
  worker.send({ type: 'usage' });
  const { cpu } = await worker.next<Message & { cpu: NodeJS.CpuUsage }>('usage', 5000);
  return (cpu.user + cpu.system) / 1e6;
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

  // ── servers ───────────────────────────────────────────────────────────────────────────────
  const cached = await startServer('./app-server-worker.ts', { dbPath, checks: checkCount, cacheSeconds: 30 }, profileArgs(options, 'page-cached'));
  const uncached = await startServer('./app-server-worker.ts', { dbPath, checks: checkCount, cacheSeconds: 0 }, profileArgs(options, 'page-uncached'));
  let staticServer: { worker: Worker; origin: string } | undefined;
  try {
    const paths = ['/', '/api/v1/status'];
    const v2 = await fetch(`${cached.origin}/api/v2/summary.json`);
    await v2.arrayBuffer();
    if (v2.status === 200) paths.push('/api/v2/summary.json');
    const bodies: { path: string; contentType: string; body: string }[] = [];
    for (const path of paths) {
      const res = await fetch(`${cached.origin}${path}`, { headers: { 'accept-encoding': 'identity' } });
      bodies.push({ path, contentType: res.headers.get('content-type') ?? 'text/plain', body: await res.text() });
    }
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

    const rows: Row[] = [
      { metric: 'history', value: `${checkCount} checks × 90 days`, note: `${thousands(seeded.results)} results via recordResults: 1-minute results for the last ${rawHours} h, one per ${olderMinutes} min before (older history only survives as rollups; same rows, fewer writes); ${round(seeded.writeS, 1)} s` },
      { metric: 'page size', value: `${thousands(bodies[0].body.length)} B HTML`, note: paths.slice(1).map((p, i) => `${p}: ${thousands(bodies[i + 1].body.length)} B`).join(', ') },
      { metric: 'uncached render: store reads', value: `p50 ${round(render.reads.p50, 2)} ms, p99 ${round(render.reads.p99, 2)} ms` },
      { metric: 'uncached render: buildStatusModel', value: `p50 ${round(render.build.p50, 2)} ms, p99 ${round(render.build.p99, 2)} ms` },
      { metric: 'uncached render: index.njk', value: `p50 ${round(render.template.p50, 2)} ms, p99 ${round(render.template.p99, 2)} ms` },
      { metric: 'uncached render: pure (model + template)', value: `p50 ${round(render.pure.p50, 2)} ms, p99 ${round(render.pure.p99, 2)} ms`, note: `with store reads: p50 ${round(render.total.p50, 2)} ms; /api/v1/status JSON p50 ${round(render.json.p50, 2)} ms` },
    ];
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
    bars.push({ bar: 'uncached render (buildStatusModel + template) ≤ 10 ms', measured: `p50 ${round(render.pure.p50, 2)} ms, p99 ${round(render.pure.p99, 2)} ms`, met: render.pure.p50 <= 10 });
    return { name: 'page', rows, bars, data: { checkCount, connections, durationMs, seeded, render, runs: runs.map((r) => ({ ...r, report: { ...r.report } })) } };
  } finally {
    await Promise.all([cached.worker.close(), uncached.worker.close(), staticServer?.worker.close()]);
  }
};
