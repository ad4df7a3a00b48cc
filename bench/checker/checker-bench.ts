/**
 * Benchmark 1 — the checker, measured on `upstate serve` itself (web server, page, alerting with
 * a webhook receiver, SQLite store, the entry point's default Node flags), so the benchmark and
 * the product cannot differ. Processes: the target (90% `200`, 5% `500`, 5% `200` after 1.5 s;
 * it also receives the webhooks), the server, and afterwards bare clients making the same
 * requests at the same rate with nothing around them — Upstate's CPU per check over theirs is
 * the overhead figure. Then the small installations: idle, 100 checks a minute and 500 checks
 * every 20 s, three servers side by side, each measured on its own CPU time.
 * @module
 */
import { startWorker, type Message, type Worker } from '../lib/child.ts';
import { numberOption, profileArgs, type Bench, type BenchOptions, type Row } from '../lib/bench.ts';
import { round, thousands } from '../lib/stats.ts';
import type { BareParams } from './bare-client-worker.ts';
import { runServe, type ServeRunReport } from './serve-run.ts';
import { coalesceWindow } from '../../src/scheduler/scheduler.ts';

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
  hooks: number;
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

const load = (r: ServeRunReport) => `load ${r.loadAverage.map((x) => round(x, 2)).join(' ')}`;

export const checkerBench: Bench = async (options) => {
  const quick = options.quick;
  // Full: 100,000 checks at a real 1-minute interval, a 60 s window. Quick: 10,000 checks every
  // 6 s (the same request rate, a tenth of the checks in memory) over 12 s.
  const intervalMs = numberOption(options, 'interval', quick ? 6_000 : 60_000);
  const checks = numberOption(options, 'checks', quick ? 10_000 : 100_000);
  const warmupMs = numberOption(options, 'warmup', quick ? 6_000 : 20_000);
  const measureMs = numberOption(options, 'measure', quick ? 12_000 : 60_000);
  const smallWarmupMs = numberOption(options, 'small-warmup', quick ? 4_000 : 15_000);
  const smallMeasureMs = numberOption(options, 'small-measure', quick ? 20_000 : 60_000);
  const bareMeasureMs = numberOption(options, 'bare-measure', quick ? 6_000 : 30_000);
  // `--only=small` or `--only=scale` runs one half (profiling a single scenario)
  const only = options.overrides.only;
  // extra Node flags for the server only (default none), e.g. --serve-flags="--max-old-space-size=256"
  const serveFlags = (options.overrides['serve-flags'] ?? '').split(' ').filter(Boolean);
  // `scheduler.concurrency` of the scale run's server (default: the config default)
  // `--memory-samples=FILE`: the scale run's server appends what its memory is made of, once a second
  const memorySamples = options.overrides['memory-samples'];
  const concurrency = options.overrides.concurrency === undefined ? undefined : numberOption(options, 'concurrency', 200);
  const scheduledPerMin = (checks * 60_000) / intervalMs;

  const target = await startWorker(new URL('./target-server.ts', import.meta.url), { mix: 'mix' });
  try {
    const { port } = await target.next<{ type: string; port: number }>('ready', 30_000);
    const targetRequests = async () => (await targetUsage(target)).requests;
    const common = { targetPort: port, dir: options.tmpDir, log: options.log, targetRequests };
    const flags = (label: string) => [...serveFlags, ...profileArgs(options, label)];
    const rows: Row[] = [];
    const bars: { bar: string; measured: string; met: boolean }[] = [];
    const data: Record<string, unknown> = { checks, intervalMs, serveFlags, scheduledPerMin };

    if (only !== 'small') {
      options.log(`checker: upstate serve with ${thousands(checks)} checks every ${intervalMs / 1000} s (${thousands(scheduledPerMin)}/min scheduled), target 127.0.0.1:${port} (90% 200, 5% 500, 5% 200 after 1.5 s)`);
      const t0 = await targetUsage(target);
      const up = await runServe({ ...common, label: 'serve', checks, intervalMs, warmupMs, measureMs, concurrency, memorySamples, nodeFlags: flags('serve') });
      const t1 = await targetUsage(target);
      const targetCpuPerK = ((t1.cpu.user - t0.cpu.user + t1.cpu.system - t0.cpu.system) / 1e6 / Math.max(1, t1.requests - t0.requests)) * 1000;
      options.log(`checker: serve done (${thousands(up.storedInWindow)} results stored in ${round(up.windowS, 1)} s); bare clients next`);

      const rate = checks / (intervalMs / 1000);
      const bareParams = { port, rate, concurrency: 200, paths: checks, warmupMs: 2_000, measureMs: bareMeasureMs };
      const bareUndici = await runBare(options, { ...bareParams, client: 'undici' });
      const bareNode = await runBare(options, { ...bareParams, client: 'node-http' });

      const share = up.deliveredPerMin / scheduledPerMin;
      const cpuPerK = up.cpuMsPerCheck;
      const barePerK = (b: BareReport) => (b.cpuS / Math.max(1, b.completed)) * 1000;
      const overheadUndici = cpuPerK / barePerK(bareUndici);
      const overheadNode = cpuPerK / barePerK(bareNode);
      const allStored = up.rowsStored === up.targetRequests && up.exitCode === 0;
      const compressed = intervalMs !== 60_000;
      rows.push(
        { metric: 'checks configured', value: `${thousands(checks)} every ${intervalMs / 1000} s`, note: compressed ? `time compressed ×${round(60_000 / intervalMs, 2)}: the request rate of ${thousands(scheduledPerMin)} checks at a 1-minute interval` : 'real 1-minute interval' },
        { metric: 'delivered checks/min (stored)', value: thousands(up.deliveredPerMin), note: `${thousands(up.storedInWindow)} results stored in a ${round(up.windowS, 1)} s window: ${round(share * 100, 1)}% of scheduled` },
        { metric: 'serve CPU', value: `${round(up.cores, 2)} cores`, note: `${round(up.cpuS, 1)} CPU-s in the window, ${round(up.cpuMsPerCheck, 3)} CPU-ms per check; ${load(up)}` },
        { metric: 'serve RSS steady / peak', value: `${round(up.rssSteadyBytes / MB, 0)} / ${round(up.rssPeakBytes / MB, 0)} MB`, note: `median over the window / max from start-up to stop (250 ms samples of /proc); peak ${round(up.rssPeakAt.s, 1)} s after serving began, in the ${up.rssPeakAt.phase}` },
        { metric: 'every result stored', value: allStored ? 'yes' : 'NO', note: `${thousands(up.targetRequests)} requests answered by the target, ${thousands(up.rowsStored)} rows in the SQLite file after a clean stop (exit ${up.exitCode}); ${up.notCounted === 0 ? 'no' : `at least ${thousands(up.notCounted)}`} results the server logged as not counted (this host failed: starved loop, out of descriptors)` },
        { metric: 'SQLite bytes per stored result', value: round(up.bytesPerResult, 1).toString(), note: 'file + WAL growth over the run ÷ rows' },
        { metric: 'webhooks received', value: thousands(t1.hooks - t0.hooks), note: 'alert notifications (down, resolved) delivered to the local receiver' },
        { metric: 'serve start-up / stop', value: `${round(up.startS, 1)} s / ${round(up.stopS, 1)} s`, note: 'config load, store open, first listen / SIGTERM to exit' },
        { metric: 'bare undici CPU per 1,000 requests', value: `${round(barePerK(bareUndici), 3)} CPU-s`, note: `${thousands((bareUndici.completed / bareUndici.windowS) * 60)} req/min, ${round(bareUndici.peakRssBytes / MB, 0)} MB RSS` },
        { metric: 'bare node:http CPU per 1,000 requests', value: `${round(barePerK(bareNode), 3)} CPU-s`, note: `${thousands((bareNode.completed / bareNode.windowS) * 60)} req/min, ${round(bareNode.peakRssBytes / MB, 0)} MB RSS` },
        { metric: 'overhead vs bare undici / node:http', value: `${round(overheadUndici, 2)}× / ${round(overheadNode, 2)}×`, note: 'serve CPU per check ÷ bare client CPU per request' },
        { metric: 'target server CPU per 1,000 requests', value: `${round(targetCpuPerK, 3)} CPU-s`, note: 'separate process, not counted above' },
        ...(serveFlags.length ? [{ metric: 'serve Node flags', value: serveFlags.join(' ') }] : []),
        ...(concurrency !== undefined ? [{ metric: 'serve scheduler.concurrency', value: String(concurrency) }] : []),
      );
      bars.push(
        {
          bar: '100,000 checks/min on upstate serve, every check delivered (≥ 99% of scheduled stored in the window) and stored',
          measured: `${thousands(up.deliveredPerMin)}/min (${round(share * 100, 1)}% of ${thousands(scheduledPerMin)}), ${allStored ? 'all stored' : 'NOT all stored'}`,
          met: scheduledPerMin >= 100_000 && share >= 0.99 && allStored,
        },
        { bar: 'serve ≤ 1 core at that rate', measured: `${round(up.cores, 2)} cores`, met: up.cores <= 1 },
        { bar: 'serve ≤ 300 MB RSS (default flags)', measured: `${round(up.rssSteadyBytes / MB, 0)} MB steady, ${round(up.rssPeakBytes / MB, 0)} MB peak`, met: up.rssPeakBytes <= 300 * MB && serveFlags.length === 0 },
        { bar: 'overhead ≤ 3× bare client', measured: `${round(overheadUndici, 2)}× undici, ${round(overheadNode, 2)}× node:http`, met: Math.max(overheadUndici, overheadNode) <= 3 },
      );
      Object.assign(data, { serve: up, bareUndici, bareNode, targetCpuPerK, overheadUndici, overheadNode, hooks: t1.hooks - t0.hooks });
    }

    if (only !== 'scale') {
      options.log('checker: small installations (0, 100 @ 60 s, 500 @ 20 s), three servers side by side');
      const small = { ...common, warmupMs: smallWarmupMs, measureMs: smallMeasureMs };
      const [idle, hundred, five] = await Promise.all([
        runServe({ ...small, label: 'idle', checks: 0, intervalMs: 60_000, nodeFlags: flags('idle') }),
        runServe({ ...small, label: 'small-100', checks: 100, intervalMs: 60_000, nodeFlags: flags('small-100') }),
        runServe({ ...small, label: 'small-500', checks: 500, intervalMs: 20_000, nodeFlags: flags('small-500') }),
      ]);
      // the request alone at the 500 @ 20 s rate (25/s) on kept-alive connections, started in
      // bursts as the scheduler's wake-ups start them (its coalescing window at 20 s)
      const bareSmall = await runBare(options, { port, rate: 25, concurrency: 200, paths: 500, warmupMs: smallWarmupMs, measureMs: smallMeasureMs, client: 'undici', keepAlive: true, tickMs: coalesceWindow(20_000) });
      const bareSmallMs = (bareSmall.cpuS / Math.max(1, bareSmall.completed)) * 1000;
      const perMin = (r: ServeRunReport) => `${round(r.cpuSPerMin, 3)} CPU-s/min`;
      const note = (r: ServeRunReport) => `${round(r.cpuS, 2)} CPU-s in ${round(r.windowS, 1)} s (10 ms ticks), ${thousands(r.storedInWindow)} results stored, RSS ${round(r.rssSteadyBytes / MB, 0)} MB; ${load(r)}`;
      rows.push(
        { metric: 'idle serve (0 checks)', value: perMin(idle), note: note(idle) },
        { metric: '100 checks @ 60 s', value: perMin(hundred), note: `${round(hundred.cpuMsPerCheck, 2)} CPU-ms per check; ${note(hundred)}` },
        { metric: '500 checks @ 20 s', value: perMin(five), note: `${round(five.cpuMsPerCheck, 2)} CPU-ms per check; ${note(five)}` },
        { metric: 'bare undici, 25 req/s, kept-alive', value: `${round(bareSmallMs, 3)} CPU-ms per request`, note: `${thousands(bareSmall.completed)} requests in ${round(bareSmall.windowS, 1)} s, started every ${coalesceWindow(20_000)} ms like the scheduler's wake-ups, run after the servers; 500 @ 20 s is ${round(five.cpuMsPerCheck / Math.max(1e-9, bareSmallMs), 2)}× this` },
      );
      bars.push(
        { bar: 'idle serve ≤ 0.2 CPU-s/min', measured: perMin(idle), met: idle.cpuSPerMin <= 0.2 },
        { bar: '500 checks @ 20 s ≤ 0.6 CPU-ms per check', measured: `${round(five.cpuMsPerCheck, 2)} CPU-ms (${perMin(five)})`, met: five.cpuMsPerCheck <= 0.6 },
      );
      Object.assign(data, { idle, hundred, five, bareSmall });
    }
    return { name: 'checker', rows, bars, data };
  } finally {
    await target.close();
  }
};
