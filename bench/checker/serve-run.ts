/**
 * One measured `upstate serve` run: writes the scenario, starts the server, lets it warm up,
 * then over the measurement window reads its CPU time and RSS from /proc and the results it has
 * stored from its SQLite file (a read-only connection of the bench process). After a clean stop
 * it checks that every request the target answered is a stored row, and how many bytes the file
 * grew by per stored result.
 * @module
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServe } from './serve-process.ts';
import { writeServeScenario } from './serve-config.ts';
import { percentile, sleep } from '../lib/stats.ts';

export interface ServeRunParams {
  label: string;
  checks: number;
  intervalMs: number;
  targetPort: number;
  warmupMs: number;
  measureMs: number;
  dir: string;
  nodeFlags?: string[];
  /** File the server appends its memory samples to (see memory-sampler.preload.mjs). */
  memorySamples?: string;
  /** `scheduler.concurrency` of the server; absent = the default. */
  concurrency?: number;
  log(line: string): void;
  /** The target's request count so far (checks answered, webhook posts excluded). */
  targetRequests(): Promise<number>;
}

export interface ServeRunReport {
  label: string;
  checks: number;
  intervalMs: number;
  windowS: number;
  scheduledPerMin: number;
  deliveredPerMin: number;
  storedInWindow: number;
  cpuS: number;
  cores: number;
  cpuSPerMin: number;
  cpuMsPerCheck: number;
  rssSteadyBytes: number;
  rssPeakBytes: number;
  /** Seconds after the server logged that it serves when the peak was sampled, and the phase it fell in. */
  rssPeakAt: { s: number; phase: 'warm-up' | 'window' | 'stop' };
  startS: number;
  stopS: number;
  exitCode: number | null;
  rowsStored: number;
  targetRequests: number;
  bytesPerResult: number;
  /** Results the server dropped as this host's failure (logged, at least this many). */
  notCounted: number;
  loadAverage: number[];
}

function fileBytes(db: string): number {
  let total = 0;
  for (const file of [db, `${db}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL after a clean close
    }
  }
  return total;
}

function storedRows(db: Database.Database): number {
  const recent = (db.prepare('SELECT count(*) AS n FROM results_recent').get() as { n: number }).n;
  const packed = (db.prepare('SELECT coalesce(sum(n), 0) AS n FROM result_blocks').get() as { n: number }).n;
  return recent + packed;
}

export async function runServe(p: ServeRunParams): Promise<ServeRunReport> {
  const scenario = await writeServeScenario({ checks: p.checks, intervalMs: p.intervalMs, targetPort: p.targetPort, dir: join(p.dir, p.label), concurrency: p.concurrency });
  const bytesBefore = fileBytes(scenario.db);
  const requestsBefore = await p.targetRequests();
  const t = performance.now();
  const server = await startServe({ config: scenario.config, data: scenario.data, nodeFlags: p.nodeFlags, memorySamples: p.memorySamples, log: p.log, label: p.label, timeoutMs: 600_000 });
  const startS = (performance.now() - t) / 1000;
  let peak = 0;
  let peakAt: ServeRunReport['rssPeakAt'] = { s: 0, phase: 'warm-up' };
  let phase: ServeRunReport['rssPeakAt']['phase'] = 'warm-up';
  const servingAt = performance.now();
  let inWindow = false;
  const windowRss: number[] = [];
  const sampler = setInterval(() => {
    try {
      const rss = server.rssBytes();
      if (rss > peak) {
        peak = rss;
        peakAt = { s: (performance.now() - servingAt) / 1000, phase };
      }
      if (inWindow) windowRss.push(rss);
    } catch {
      // the process is gone; stop() reports why
    }
  }, 250);
  const reader = new Database(scenario.db, { readonly: true });
  try {
    await sleep(p.warmupMs);
    inWindow = true;
    phase = 'window';
    const at0 = { t: performance.now(), cpu: server.cpuS(), stored: storedRows(reader) };
    await sleep(p.measureMs);
    const at1 = { t: performance.now(), cpu: server.cpuS(), stored: storedRows(reader) };
    inWindow = false;
    const loadAverage = (await import('node:os')).loadavg();
    const stopAt = performance.now();
    phase = 'stop';
    const exitCode = await server.stop();
    const stopS = (performance.now() - stopAt) / 1000;
    clearInterval(sampler);
    const rowsStored = storedRows(reader);
    reader.close();
    const targetRequests = (await p.targetRequests()) - requestsBefore;
    const windowS = (at1.t - at0.t) / 1000;
    const storedInWindow = at1.stored - at0.stored;
    const cpuS = at1.cpu - at0.cpu;
    return {
      label: p.label,
      checks: p.checks,
      intervalMs: p.intervalMs,
      windowS,
      scheduledPerMin: (p.checks * 60_000) / p.intervalMs,
      deliveredPerMin: (storedInWindow / windowS) * 60,
      storedInWindow,
      cpuS,
      cores: cpuS / windowS,
      cpuSPerMin: (cpuS / windowS) * 60,
      cpuMsPerCheck: storedInWindow ? (cpuS * 1000) / storedInWindow : Number.NaN,
      rssSteadyBytes: percentile(windowRss, 50),
      rssPeakBytes: peak,
      rssPeakAt: peakAt,
      startS,
      stopS,
      exitCode,
      rowsStored,
      targetRequests,
      notCounted: server.notCounted(),
      bytesPerResult: rowsStored ? (fileBytes(scenario.db) - bytesBefore) / rowsStored : Number.NaN,
      loadAverage,
    };
  } finally {
    clearInterval(sampler);
    if (reader.open) reader.close();
    await server.stop(5_000);
  }
}
