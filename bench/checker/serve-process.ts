/**
 * Runs `upstate serve` itself as the measured process: the project's own build of the CLI
 * (`compiledCli`, the tsc output the package ships) run by plain `node` with no extra flags — the
 * way the installed `upstate` command runs — on a generated config and its own data folder. Its CPU time and RSS are read from
 * /proc/<pid>/ (Linux), so nothing inside the server is instrumented; delivered checks are read
 * from the SQLite file it writes.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledCli } from '../lib/bundle.ts';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux build we run on). */
const TICKS_PER_S = 100;

export interface ServeProcess {
  readonly pid: number;
  readonly url: string;
  /** utime + stime of the process so far, in seconds (10 ms resolution). */
  cpuS(): number;
  /** Current resident set size, bytes. */
  rssBytes(): number;
  /**
   * Results the server logged as not counted because this host failed (out of descriptors, a
   * starved loop), from its "result not counted" lines — at least this many: the lines are rate
   * limited and carry the count held back since the previous one.
   */
  notCounted(): number;
  /** SIGTERM, then wait for the clean exit (the server flushes every result first); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ServeStart {
  config: string;
  data: string;
  /** Extra `node` flags (default none: the entry point's defaults). */
  nodeFlags?: string[];
  /** Appends the server's memory samples to this file (memory-sampler.preload.mjs, preloaded with `--import`). */
  memorySamples?: string;
  /** Written to the log when the server's stderr or exit says something. */
  log(line: string): void;
  label: string;
  timeoutMs: number;
}

function procStatCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the parenthesised command name; utime and stime are fields 14 and 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Starts serve and resolves once it logs "Upstate is serving" (its URL is taken from that line). */
export async function startServe(options: ServeStart): Promise<ServeProcess> {
  const fromSource = process.env.UPSTATE_BENCH_SOURCE === '1';
  const bin = new URL('../../src/cli/bin.ts', import.meta.url);
  const entry = fromSource ? fileURLToPath(bin) : await compiledCli();
  const sampler = options.memorySamples ? [`--import=${fileURLToPath(new URL('./memory-sampler.preload.mjs', import.meta.url))}`] : [];
  const env = options.memorySamples ? { ...process.env, UPSTATE_BENCH_MEMORY_SAMPLES: options.memorySamples } : process.env;
  const args = [...(options.nodeFlags ?? []), ...sampler, entry, 'serve', '--config', options.config, '--data', options.data, '--port', '0', '--host', '127.0.0.1'];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(options.data, '..'), env });
  const pid = child.pid ?? 0;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let errText = '';
  let notCounted = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    errText = (errText + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${options.label}: serve did not start within ${options.timeoutMs} ms\n${errText}`)), options.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (line.includes('result not counted')) {
          try {
            notCounted += 1 + Number((JSON.parse(line) as { alsoNotCounted?: number }).alsoNotCounted ?? 0);
          } catch {
            notCounted++;
          }
          continue;
        }
        if (!line.includes('Upstate is serving')) continue;
        clearTimeout(timer);
        try {
          resolve(String((JSON.parse(line) as { url: string }).url));
        } catch {
          resolve('');
        }
      }
      // keep only a bounded tail while serving (warnings go to the log, not the measurement)
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.label}: serve exited (code ${code}) before serving\n${errText}`));
    });
  });
  return {
    pid,
    url,
    cpuS: () => procStatCpuS(pid),
    rssBytes: () => procRssBytes(pid),
    notCounted: () => notCounted,
    async stop(graceMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) options.log(`${options.label}: serve exited with code ${code}\n${errText}`);
      return code;
    },
  };
}
