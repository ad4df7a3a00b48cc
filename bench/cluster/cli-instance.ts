/**
 * Runs the real `upstate` CLI as a separate process for the cluster benchmark — the project's
 * own build of it (`compiledCli`) run by plain node, or `src/cli/bin.ts` from the .ts sources
 * with `--source` — and samples its CPU and RSS from /proc.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledCli } from '../lib/bundle.ts';
import { processCpuS, processRssBytes } from './proc-usage.ts';

const BIN = new URL('../../src/cli/bin.ts', import.meta.url);
/** Output kept for error messages: the tail only, so a chatty process cannot grow the bench. */
const KEEP_OUTPUT = 64 * 1024;

export interface CliInstance {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the process logged that it serves (its start-up is over). */
  ready: Promise<void>;
  /** CPU-seconds used so far. */
  cpuS(): number;
  /** Highest RSS seen by `sampleRss` so far, bytes. */
  peakRssBytes(): number;
  /** Takes one RSS sample (the caller runs these on a timer). */
  sampleRss(): void;
  /** The last ~64 KB of stdout and stderr. */
  output(): string;
  /** SIGTERM (finish running checks, flush results), then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs: number): Promise<number | null>;
}

/** Starts `upstate <args>` with `UPSTATE_LOG_LEVEL=info`; `ready` waits for "Upstate is serving". */
export async function startCliInstance(args: string[], readyTimeoutMs: number, nodeArgs: string[] = []): Promise<CliInstance> {
  const entry = process.env.UPSTATE_BENCH_SOURCE === '1' ? fileURLToPath(BIN) : await compiledCli();
  const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, UPSTATE_LOG_LEVEL: 'info' },
  });
  let text = '';
  let peak = 0;
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > 2 * KEEP_OUTPUT) text = text.slice(-KEEP_OUTPUT);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upstate ${args[0]} did not start within ${readyTimeoutMs} ms:\n${text.slice(-4000)}`)), readyTimeoutMs);
    const poll = setInterval(() => {
      if (!text.includes('Upstate is serving')) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    }, 100);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`upstate ${args[0]} exited during start-up (code ${code}):\n${text.slice(-4000)}`));
    });
  });
  ready.catch(() => {}); // observed by the caller; never an unhandled rejection
  const pid = child.pid ?? 0;
  return {
    child,
    pid,
    ready,
    cpuS: () => processCpuS(pid),
    peakRssBytes: () => peak,
    sampleRss() {
      peak = Math.max(peak, processRssBytes(pid));
    },
    output: () => text.slice(-KEEP_OUTPUT),
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
