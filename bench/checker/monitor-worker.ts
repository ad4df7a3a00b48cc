/**
 * Child process: Upstate's real embedded mode (createEmbeddedMode: heap scheduler → engine → runCheck → confirmStatus →
 * batcher → bus → SQLite store writer) running N http checks against the target. Measures, over
 * the measurement window only: completed checks, scheduling lag (the scheduler's `onLag`), its
 * own CPU time, RSS, and results written to SQLite. After stopping (which flushes every batch) it
 * counts the rows actually in the database file, so "every result stored" is verified, not assumed.
 * @module
 */
import Database from 'better-sqlite3';
import { createEmbeddedMode } from '../../src/modes/embedded-mode.ts';
import { createResultBus } from '../../src/kernel/result-bus.ts';
import { probes } from '../../src/probes/registry.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import type { ProbeOutcome } from '../../src/domain/result.ts';
import { exitWithParent, reply, runWorker, workerParams, type Message } from '../lib/child.ts';
import { cpuSeconds, sleep, summarize, trackRss } from '../lib/stats.ts';
import { benchChecks, benchConfig } from './bench-checks.ts';

export interface MonitorParams {
  port: number;
  checks: number;
  intervalMs: number;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  dbPath: string;
}

export interface MonitorReport extends Message {
  type: 'result';
  windowS: number;
  completed: number;
  failed: number;
  failures: Record<string, number>;
  lag: ReturnType<typeof summarize>;
  lagStart: ReturnType<typeof summarize>;
  lagEnd: ReturnType<typeof summarize>;
  cpuS: number;
  peakRssBytes: number;
  maxRssBytes: number;
  storedInWindow: number;
  writeBusyS: number;
  batches: number;
  producedTotal: number;
  rowsInDb: number;
  stopMs: number;
  startMs: number;
  memory: Record<string, number>;
  /** Per 5 s from start-up: checks completed, runs started, worst lag (ms). */
  timeline: { completed: number; lagMax: number; started: number }[];
}

runWorker(async () => {
  const p = await workerParams<MonitorParams>();
  const setupStart = performance.now();
  const checks = benchChecks(p.checks, p.port, p.intervalMs);
  const config = benchConfig(checks, p.concurrency);
  const store = createSqliteStore({ path: p.dbPath });
  await store.migrate();
  // Steady state, as after a restart: every check already has a state. (A check that never
  // reported is run within 5 s of start-up by design, so a fresh store would start with a burst of
  // all N checks at once — a start-up cost, not the sustained rate this benchmark measures.)
  const seededAt = Date.now() - p.intervalMs;
  await store.recordResults({
    results: [],
    states: checks.map((c) => ({
      check: c.name,
      status: 'up',
      since: seededAt,
      streak: 0,
      lastResult: { check: c.name, at: seededAt, status: 'up', latencyMs: 1, statusCode: 200, timings: { connect: 0.2, firstByte: 0.5, total: 1 } },
    })),
  });

  // Counters wrap the real pieces without changing what they do.
  let completed = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  const http = probes.http;
  const countingProbes = {
    ...probes,
    http: {
      ...http,
      async run(config: unknown, ctx: Parameters<typeof http.run>[1]): Promise<ProbeOutcome> {
        const outcome = await http.run(config as never, ctx);
        completed++;
        sliceOf().completed++;
        if (!outcome.ok) {
          failed++;
          const key = outcome.failure?.class ?? 'unknown';
          failures[key] = (failures[key] ?? 0) + 1;
        }
        return outcome;
      },
    },
  };
  let stored = 0;
  let batches = 0;
  let writeBusyMs = 0;
  const record = store.recordResults.bind(store);
  store.recordResults = async (batch) => {
    const t = performance.now();
    await record(batch);
    writeBusyMs += performance.now() - t;
    stored += batch.results.length;
    batches++;
  };

  let measuring = false;
  // lag of every run from start-up on, in 5 s slices, for the timeline in the JSON output
  const timeline: { completed: number; lagMax: number; started: number }[] = [];
  const sliceOf = () => {
    const i = Math.floor((performance.now() - startedAt) / 5000);
    while (timeline.length <= i) timeline.push({ completed: 0, lagMax: 0, started: 0 });
    return timeline[i];
  };
  let startedAt = performance.now();
  const lags: number[] = [];
  const lagAt: number[] = [];
  const monitor = createEmbeddedMode({
    config,
    logger: { error: (details, message) => console.error(message, details) },
    store,
    bus: createResultBus((error) => console.error('bus listener failed', error)),
    probes: countingProbes,
    clock: systemClock,
    onLag: (lag) => {
      const slice = sliceOf();
      slice.started++;
      slice.lagMax = Math.max(slice.lagMax, lag);
      if (measuring) {
        lags.push(lag);
        lagAt.push(performance.now());
      }
    },
  });
  exitWithParent(async () => {
    await monitor.stop();
    await store.close();
  });

  const rss = trackRss();
  startedAt = performance.now();
  await monitor.start();
  const startMs = performance.now() - setupStart;
  reply({ type: 'started' });
  await sleep(p.warmupMs);

  measuring = true;
  const at0 = { cpu: process.cpuUsage(), completed, failed, stored, writeBusyMs, t: performance.now() };
  const failuresBefore = { ...failures };
  await sleep(p.measureMs);
  const at1 = { cpu: process.cpuUsage(), completed, failed, stored, writeBusyMs, t: performance.now() };
  measuring = false;
  const peakRss = rss.stop();
  // What of the RSS is live data: heap before and after a full GC (the worker runs with --expose-gc).
  const memBefore = process.memoryUsage();
  (globalThis as { gc?: () => void }).gc?.();
  const memAfter = process.memoryUsage();
  const memory = {
    rssBytes: memBefore.rss,
    heapUsedBytes: memBefore.heapUsed,
    heapTotalBytes: memBefore.heapTotal,
    externalBytes: memBefore.external,
    heapUsedAfterGcBytes: memAfter.heapUsed,
    rssAfterGcBytes: memAfter.rss,
  };

  const stopStart = performance.now();
  await monitor.stop();
  const stopMs = performance.now() - stopStart;
  await store.close();

  const db = new Database(p.dbPath, { readonly: true });
  // (the seeded states carry no results, so every row here was written by the monitor)
  const recent = (db.prepare('SELECT count(*) AS n FROM results_recent').get() as { n: number }).n;
  const packed = (db.prepare('SELECT coalesce(sum(n), 0) AS n FROM result_blocks').get() as { n: number }).n;
  db.close();

  // Lag in the first and last tenth of the window: growing means the monitor is falling behind,
  // shrinking means it is catching up on a backlog, flat means it keeps pace.
  const tenth = (at1.t - at0.t) / 10;
  const lagStart = summarize(lags.filter((_, i) => lagAt[i] < at0.t + tenth));
  const lagEnd = summarize(lags.filter((_, i) => lagAt[i] >= at1.t - tenth));
  const windowFailures: Record<string, number> = {};
  for (const [k, v] of Object.entries(failures)) if (v - (failuresBefore[k] ?? 0) > 0) windowFailures[k] = v - (failuresBefore[k] ?? 0);
  const report: MonitorReport = {
    type: 'result',
    windowS: (at1.t - at0.t) / 1000,
    completed: at1.completed - at0.completed,
    failed: at1.failed - at0.failed,
    failures: windowFailures,
    lag: summarize(lags),
    lagStart,
    lagEnd,
    cpuS: cpuSeconds(at0.cpu, at1.cpu),
    peakRssBytes: peakRss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    storedInWindow: at1.stored - at0.stored,
    writeBusyS: (at1.writeBusyMs - at0.writeBusyMs) / 1000,
    batches,
    producedTotal: completed,
    rowsInDb: recent + packed,
    stopMs,
    startMs,
    memory,
    timeline,
  };
  reply(report);
});
