/**
 * The `icmp` probe: pings a host `count` times and reports loss and round-trip times, so
 * conditions such as `loss < 20%` and `rtt.avg < 50ms` work.
 *
 * It runs the system `ping` (iputils-ping) rather than opening ICMP sockets itself. Node has no
 * ICMP socket API, so doing it in-process would need a native addon; `ping` already uses the
 * unprivileged ICMP datagram socket when `net.ipv4.ping_group_range` admits the user, and falls
 * back to a raw socket through its `cap_net_raw` file capability otherwise. One spawn per check
 * is cheap next to the check interval (see docs/benchmarks.md). When neither is allowed, or ping
 * is missing, the check fails with a message saying exactly what the host needs.
 * @module
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { defineProbe, type Probe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { duration } from '../../kernel/duration.ts';
import { ms } from '../tcp/timed-connect.ts';
import { parsePingOutput, pingProblem, type PingStats } from './ping-output.ts';
import { classOfCode } from '../tcp/classify-error.ts';

/** ping's summary and a few hundred reply lines fit easily; anything beyond is not ping. */
const MAX_OUTPUT_BYTES = 64 * 1024;

const icmpConfigSchema = z.strictObject({
  host: z.string().trim().min(1, 'must be a host name or IP address').refine((h) => !h.startsWith('-'), 'must not start with "-"'),
  /** Echo requests per check. */
  count: z.number().int('must be a whole number').min(1, 'must be 1–100').max(100, 'must be 1–100').default(3),
  /** Gap between requests; ping refuses less than 200ms to unprivileged users. */
  interval: duration.refine((v) => v >= 200, 'must be at least 200ms').default(1000),
  ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
});

export type IcmpConfig = z.output<typeof icmpConfigSchema>;

export interface IcmpProbeOptions {
  /**
   * The ping program and any leading arguments (default `['ping']`, found on PATH). Tests use it
   * to run ping inside a network namespace or without privileges.
   */
  command?: readonly string[];
}

interface PingRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  aborted: boolean;
  spawnError?: NodeJS.ErrnoException;
}

/** Runs ping, keeping at most MAX_OUTPUT_BYTES of each stream; killed when the signal fires. */
function runPing(argv: string[], signal: AbortSignal): Promise<PingRun> {
  return new Promise((resolve) => {
    const run: PingRun = { stdout: '', stderr: '', exitCode: null, aborted: false };
    // LC_ALL=C keeps the output in the English form the parser reads.
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
    const keep = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (run[key].length < MAX_OUTPUT_BYTES) run[key] += chunk.toString('utf8', 0, Math.min(chunk.length, MAX_OUTPUT_BYTES - run[key].length));
    };
    child.stdout.on('data', keep('stdout'));
    child.stderr.on('data', keep('stderr'));
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      resolve(run);
    };
    // At the deadline the result is due now: kill ping and report the replies seen so far.
    const onAbort = () => {
      run.aborted = true;
      child.kill('SIGKILL');
      finish();
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      run.spawnError = err;
      finish();
    });
    child.once('close', (code) => {
      run.exitCode = code;
      finish();
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The ping arguments for one check; `-W` (last reply wait) fits what is left of the timeout. */
export function pingArguments(config: IcmpConfig, timeoutMs: number): string[] {
  const sendingMs = (config.count - 1) * config.interval;
  const waitS = Math.max(0.2, Math.min(2, (timeoutMs - sendingMs) / 1000 - 0.1));
  const args = ['-n', '-c', String(config.count), '-i', String(config.interval / 1000), '-W', waitS.toFixed(1)];
  if (config.ipFamily) args.push(`-${config.ipFamily}`);
  args.push(config.host);
  return args;
}

function failureOf(run: PingRun, stats: PingStats, config: IcmpConfig, timeoutMs: number): Failure | undefined {
  const host = config.host;
  if (run.spawnError) {
    if (run.spawnError.code === 'ENOENT') return { class: 'protocol', message: 'cannot ping: no ping program on this host (install iputils-ping)' };
    // out of descriptors or memory for the child: this host's problem, not the target's
    if (classOfCode(run.spawnError.code) === 'local') return { class: 'local', message: `cannot run ping: ${run.spawnError.message}` };
    return { class: 'protocol', message: `cannot run ping: ${run.spawnError.message}` };
  }
  const problem = run.aborted ? undefined : pingProblem(run.stderr);
  if (problem?.kind === 'permission') {
    return {
      class: 'protocol',
      message:
        `ICMP is not permitted on this host (${problem.text}): allow unprivileged ping with ` +
        `sysctl net.ipv4.ping_group_range="0 2147483647", or give ping cap_net_raw (setcap cap_net_raw+ep $(command -v ping))`,
    };
  }
  if (problem?.kind === 'dns') return { class: 'dns', message: `could not resolve ${host}${config.ipFamily ? ` to an IPv${config.ipFamily} address` : ''} (${problem.text})` };
  if (problem?.kind === 'unreachable') return { class: 'refused', message: `${host} is unreachable (${problem.text})` };
  if (stats.received > 0) return undefined;
  if (run.aborted) return { class: 'timeout', message: `timed out after ${timeoutMs} ms pinging ${host}: no reply yet` };
  if (run.exitCode === 1) return { class: 'timeout', message: `no reply from ${host} to ${stats.sent} ping${stats.sent === 1 ? '' : 's'} (100% loss)` };
  const detail = run.stderr.trim().split('\n')[0] || `ping exited with status ${run.exitCode}`;
  return { class: 'protocol', message: `ping ${host} failed: ${detail.slice(0, 200)}` };
}

/** Builds an icmp probe; the registry uses the default (`ping` from PATH). */
export function createIcmpProbe(options: IcmpProbeOptions = {}): Probe<IcmpConfig> {
  const command = options.command ?? ['ping'];
  return defineProbe<IcmpConfig>({
    kind: 'icmp',
    schema: icmpConfigSchema,
    describe: (config) => config.host,
    async run(config, ctx): Promise<ProbeOutcome> {
      const startedAt = performance.now();
      const run = await runPing([...command, ...pingArguments(config, ctx.timeoutMs)], ctx.signal);
      const total = ms(performance.now() - startedAt);
      const stats = parsePingOutput(run.stdout, config.count);
      const failure = failureOf(run, stats, config, ctx.timeoutMs);
      const details = run.spawnError ? undefined : { icmp: stats };
      // The latency of a ping check is its average round trip: the wall time is mostly the
      // interval between requests, which says nothing about the host.
      const latencyMs = stats.rtt?.avg ?? total;
      return { ok: !failure, latencyMs, timings: { total }, ...(failure ? { failure } : {}), ...(details ? { details } : {}) };
    },
  });
}

/** The `icmp` probe plug-in, running `ping` from PATH. */
export const icmpProbe = createIcmpProbe();
