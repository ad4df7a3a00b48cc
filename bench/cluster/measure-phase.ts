/**
 * One measured phase of the cluster benchmark: start the given `upstate serve` processes, let
 * them warm up, then take CPU, RSS, /metrics counters and (through `around`) PostgreSQL's figures
 * at both ends of one window, let late runs finish, and stop them with SIGTERM (which flushes
 * every result).
 * @module
 */
import { loadavg } from 'node:os';
import { round } from '../lib/stats.ts';
import { startCliInstance, type CliInstance } from './cli-instance.ts';
import { countersDelta, readCounters, type InstanceCounters } from './instance-metrics.ts';

export interface InstanceFigures {
  cpuS: number;
  peakRssBytes: number;
  counters: InstanceCounters;
  exitCode: number | null;
}

export interface PhaseFigures<T> {
  from: number;
  to: number;
  windowS: number;
  instances: InstanceFigures[];
  /** Load average (1 min) at the start and end of the window. */
  load: [number, number];
  /** What `around` measured outside the instances (PostgreSQL). */
  outside: T;
}

export interface PhaseOptions<T> {
  /** argv of each instance after `upstate`. */
  argvs: string[][];
  /** Node flags per instance (CPU profiles with `--profile`). */
  nodeArgs?(index: number): string[];
  startTimeoutMs: number;
  warmupMs: number;
  windowMs: number;
  /**
   * Longest wait after the window before stopping: `settled` is polled every 3 s until every slot
   * of the window has started (a late run still counts), at most this long; SIGTERM then lets
   * running checks finish and flushes their results.
   */
  drainMs: number;
  settled(from: number, to: number): Promise<boolean>;
  /** Start and end readings of whatever else is measured, taken inside the window's edges. */
  around: { start(): Promise<unknown>; end(start: unknown): Promise<T> };
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function urlOf(instance: CliInstance): string {
  const match = /"url":"(http:[^"]+)"/.exec(instance.output());
  if (!match) throw new Error(`no url in the instance's output:\n${instance.output().slice(-2000)}`);
  return match[1];
}

export async function measurePhase<T>(options: PhaseOptions<T>): Promise<PhaseFigures<T>> {
  const instances: CliInstance[] = [];
  const rss = setInterval(() => instances.forEach((i) => i.sampleRss()), 500);
  try {
    for (const [n, argv] of options.argvs.entries()) instances.push(await startCliInstance(argv, options.startTimeoutMs, options.nodeArgs?.(n)));
    await Promise.all(instances.map((i) => i.ready));
    const urls = instances.map(urlOf);
    options.log(`${instances.length} instance(s) serving; warming up ${options.warmupMs / 1000} s`);
    await sleep(options.warmupMs);

    const counters0 = await Promise.all(urls.map(readCounters));
    const cpu0 = instances.map((i) => i.cpuS());
    const outside0 = await options.around.start();
    const load0 = loadavg()[0];
    const from = Date.now();
    await sleep(options.windowMs);
    const to = Date.now();
    const cpu1 = instances.map((i) => i.cpuS());
    const outside = await options.around.end(outside0);
    const load1 = loadavg()[0];
    const counters1 = await Promise.all(urls.map(readCounters));
    const drainUntil = Date.now() + options.drainMs;
    while (!(await options.settled(from, to)) && Date.now() < drainUntil) await sleep(3_000);
    options.log(`window over (load ${load0.toFixed(2)} → ${load1.toFixed(2)}); drained ${round((Date.now() - to) / 1000, 1)} s after it, SIGTERM`);
    const exitCodes = await Promise.all(instances.map((i) => i.stop(120_000)));
    return {
      from,
      to,
      windowS: (to - from) / 1000,
      load: [load0, load1],
      outside,
      instances: instances.map((instance, n) => ({
        cpuS: cpu1[n] - cpu0[n],
        peakRssBytes: instance.peakRssBytes(),
        counters: countersDelta(counters0[n], counters1[n]),
        exitCode: exitCodes[n],
      })),
    };
  } finally {
    clearInterval(rss);
    await Promise.all(instances.map((i) => i.stop(5_000)));
  }
}
