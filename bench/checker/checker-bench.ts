/**
 * Benchmark 1 — checker throughput. Three processes: the target server, Upstate's monitor, and
 * (afterwards, same rate and concurrency) a bare client doing the same requests with nothing
 * around them. Upstate's CPU per check over the bare client's is the overhead figure.
 * @module
 */
import { join } from 'node:path';
import { startWorker, type Message, type Worker } from '../lib/child.ts';
import { numberOption, profileArgs, type Bench, type BenchOptions, type Row } from '../lib/bench.ts';
import { round, thousands } from '../lib/stats.ts';
import type { MonitorParams, MonitorReport } from './monitor-worker.ts';
import type { BareParams } from './bare-client-worker.ts';

const MB = 1024 * 1024;

interface BareReport extends Message {
  windowS: number;
  completed: number;
  failed: number;
  cpuS: number;
  peakRssBytes: number;
}

interface Usage extends Message {
  cpu: NodeJS.CpuUsage;
  requests: number;
}

async function targetUsage(target: Worker): Promise<Usage> {
  target.send({ type: 'usage' });
  return target.next<Usage>('usage', 5000);
}

async function runBare(options: BenchOptions, params: BareParams): Promise<BareReport> {
  const worker = await startWorker(new URL('./bare-client-worker.ts', import.meta.url), params, {
    execArgv: profileArgs(options, `bare-${params.client}`),
  });
  try {
    return await worker.next<BareReport>('result', params.warmupMs + params.measureMs + 30_000);
  } finally {
    await worker.close();
  }
}

export const checkerBench: Bench = async (options) => {
  const quick = options.quick;
  // Full: 100,000 checks at a real 1-minute interval. Quick: time compressed ×10 (10,000 checks
  // every 6 s) — the same request rate, but a tenth of the checks held in memory.
  const intervalMs = numberOption(options, 'interval', quick ? 6_000 : 60_000);
  const checks = numberOption(options, 'checks', quick ? 10_000 : 100_000);
  const concurrency = numberOption(options, 'concurrency', 200);
  const warmupMs = numberOption(options, 'warmup', quick ? 6_000 : 15_000);
  const measureMs = numberOption(options, 'measure', quick ? 12_000 : 60_000);
  const bareMeasureMs = numberOption(options, 'bare-measure', quick ? 6_000 : 30_000);
  const scheduledPerMin = (checks * 60_000) / intervalMs;
  // extra Node flags for the monitor process only, e.g. --monitor-flags="--max-old-space-size=256"
  const monitorFlags = (options.overrides['monitor-flags'] ?? '').split(' ').filter(Boolean);

  const target = await startWorker(new URL('./target-server.ts', import.meta.url), {});
  try {
    const { port } = await target.next<{ type: string; port: number }>('ready', 30_000);
    options.log(`checker: ${thousands(checks)} checks every ${intervalMs / 1000} s (${thousands(scheduledPerMin)} checks/min scheduled), target on 127.0.0.1:${port}`);

    const params: MonitorParams = { port, checks, intervalMs, concurrency, warmupMs, measureMs, dbPath: join(options.tmpDir, 'checker.db') };
    const monitor = await startWorker(new URL('./monitor-worker.ts', import.meta.url), params, { execArgv: ['--expose-gc', ...monitorFlags, ...profileArgs(options, 'monitor')] });
    let up: MonitorReport;
    let targetCpuPerK = Number.NaN;
    try {
      await monitor.next('started', 180_000);
      const t0 = await targetUsage(target);
      up = await monitor.next<MonitorReport>('result', warmupMs + measureMs + 180_000);
      const t1 = await targetUsage(target);
      targetCpuPerK = ((t1.cpu.user - t0.cpu.user + t1.cpu.system - t0.cpu.system) / 1e6 / Math.max(1, t1.requests - t0.requests)) * 1000;
    } finally {
      await monitor.close(30_000);
    }
    options.log(`checker: upstate done (${thousands(up.completed)} checks in ${round(up.windowS, 1)} s); bare clients next`);

    const rate = checks / (intervalMs / 1000);
    const bareParams = { port, rate, concurrency, paths: checks, warmupMs: 2_000, measureMs: bareMeasureMs };
    const bareUndici = await runBare(options, { ...bareParams, client: 'undici' });
    const bareNode = await runBare(options, { ...bareParams, client: 'node-http' });

    const perMin = (up.completed / up.windowS) * 60;
    const cores = up.cpuS / up.windowS;
    const cpuPerK = (up.cpuS / Math.max(1, up.completed)) * 1000;
    const barePerK = (b: BareReport) => (b.cpuS / Math.max(1, b.completed)) * 1000;
    const overheadUndici = cpuPerK / barePerK(bareUndici);
    const overheadNode = cpuPerK / barePerK(bareNode);
    const storeRate = up.storedInWindow / up.windowS;
    const allStored = up.rowsInDb === up.producedTotal;
    // "sustained" = the rate is reached AND checks still start on time at the end of the window
    const onTime = up.lagEnd.p99 <= 5_000;
    const compressed = intervalMs !== 60_000;

    const rows: Row[] = [
      { metric: 'checks configured', value: `${thousands(checks)} every ${intervalMs / 1000} s`, note: compressed ? `time compressed ×${round(60_000 / intervalMs, 2)}: equivalent to ${thousands(scheduledPerMin)} checks at a 1-minute interval` : 'real 1-minute interval' },
      { metric: 'achieved checks/min', value: thousands(perMin), note: `${thousands(up.completed)} checks in a ${round(up.windowS, 1)} s window (${round((perMin / scheduledPerMin) * 100, 1)}% of scheduled)${compressed ? `; per ${intervalMs / 1000} s interval: ${thousands(perMin / (60_000 / intervalMs))}` : ''}` },
      { metric: 'failed checks in window', value: thousands(up.failed), note: Object.keys(up.failures).length ? JSON.stringify(up.failures) : 'none' },
      { metric: 'scheduling lag p50 / p99 / max', value: `${round(up.lag.p50, 1)} / ${round(up.lag.p99, 1)} / ${round(up.lag.max, 1)} ms`, note: `${thousands(up.lag.n)} runs started in window (onLag)` },
      { metric: 'lag p99, first → last tenth of window', value: `${round(up.lagStart.p99, 1)} → ${round(up.lagEnd.p99, 1)} ms`, note: up.lagEnd.p99 > up.lagStart.p99 * 1.2 + 100 ? 'growing: falling behind' : up.lagEnd.p99 * 1.2 + 100 < up.lagStart.p99 ? 'shrinking: catching up on a backlog (rate above includes catch-up)' : 'flat: keeping pace' },
      { metric: 'Upstate CPU', value: `${round(cores, 2)} cores`, note: `${round(up.cpuS, 1)} CPU-s in ${round(up.windowS, 1)} s` },
      { metric: 'Upstate CPU per 1,000 checks', value: `${round(cpuPerK, 3)} CPU-s`, note: `capacity of one fully used core at this cost: ≈ ${thousands(60_000 / cpuPerK)} checks/min (derived, not measured)` },
      { metric: 'Upstate peak RSS', value: `${round(up.peakRssBytes / MB, 0)} MB`, note: `sampled every 250 ms to end of window; process maxRSS incl. shutdown ${round(up.maxRssBytes / MB, 0)} MB` },
      { metric: 'Upstate heap at end of window', value: `${round(up.memory.heapUsedBytes / MB, 0)} MB used / ${round(up.memory.heapTotalBytes / MB, 0)} MB total`, note: `live after a full GC: ${round(up.memory.heapUsedAfterGcBytes / MB, 0)} MB; external ${round(up.memory.externalBytes / MB, 0)} MB` },
      { metric: 'store write rate', value: `${thousands(storeRate)} results/s`, note: `${up.batches} batches total; writer busy ${round((up.writeBusyS / up.windowS) * 100, 1)}% of the window` },
      { metric: 'every result stored', value: allStored ? 'yes' : 'NO', note: `${thousands(up.producedTotal)} checks run, ${thousands(up.rowsInDb)} rows in the SQLite file after stop` },
      { metric: 'bare undici CPU per 1,000 requests', value: `${round(barePerK(bareUndici), 3)} CPU-s`, note: `${thousands((bareUndici.completed / bareUndici.windowS) * 60)} req/min, ${bareUndici.failed} failed, ${round(bareUndici.peakRssBytes / MB, 0)} MB RSS` },
      { metric: 'bare node:http CPU per 1,000 requests', value: `${round(barePerK(bareNode), 3)} CPU-s`, note: `${thousands((bareNode.completed / bareNode.windowS) * 60)} req/min, ${bareNode.failed} failed, ${round(bareNode.peakRssBytes / MB, 0)} MB RSS` },
      { metric: 'overhead vs bare undici / node:http', value: `${round(overheadUndici, 2)}× / ${round(overheadNode, 2)}×`, note: 'Upstate CPU per check ÷ bare client CPU per request' },
      { metric: 'target server CPU per 1,000 requests', value: `${round(targetCpuPerK, 3)} CPU-s`, note: 'separate process, not counted above' },
      ...(monitorFlags.length ? [{ metric: 'monitor Node flags', value: monitorFlags.join(' ') }] : []),
      { metric: 'monitor start-up / stop', value: `${round(up.startMs / 1000, 1)} s / ${round(up.stopMs / 1000, 1)} s` },
    ];
    const bars = [
      {
        bar: '100,000 checks/min sustained (≥ 99% of the scheduled 100,000/min completed, lag p99 ≤ 5 s at the end of the window), every result stored',
        measured: `${thousands(perMin)} checks/min (${round((perMin / scheduledPerMin) * 100, 1)}% of ${thousands(scheduledPerMin)}), lag p99 at end ${round(up.lagEnd.p99 / 1000, 1)} s, ${allStored ? 'all stored' : 'NOT all stored'}`,
        met: scheduledPerMin >= 100_000 && perMin >= 0.99 * scheduledPerMin && onTime && allStored,
      },
      { bar: 'Upstate ≤ 1 core', measured: `${round(cores, 2)} cores`, met: cores <= 1 },
      { bar: 'Upstate ≤ 300 MB RSS', measured: `${round(up.peakRssBytes / MB, 0)} MB`, met: up.peakRssBytes <= 300 * MB },
      { bar: 'overhead ≤ 3× bare client', measured: `${round(overheadUndici, 2)}× undici, ${round(overheadNode, 2)}× node:http`, met: Math.max(overheadUndici, overheadNode) <= 3 },
    ];
    return {
      name: 'checker',
      rows,
      bars,
      data: { checks, intervalMs, concurrency, monitorFlags, scheduledPerMin, upstate: up, bareUndici, bareNode, targetCpuPerK, perMin, cores, cpuPerK, overheadUndici, overheadNode, storeRate },
    };
  } finally {
    await target.close();
  }
};
