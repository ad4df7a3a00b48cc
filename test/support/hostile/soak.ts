/**
 * Soak helper: runs N probe checks against the hostile fixtures with bounded concurrency and
 * reports resident memory before and after, to show that misbehaving targets (endless bodies,
 * resets, silence, 100 MB downloads) leave nothing behind.
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProbeOutcome } from '../../../src/domain/result.ts';
import { httpProbe } from '../../../src/probes/http/http-probe.ts';
import { tcpProbe } from '../../../src/probes/tcp/tcp-probe.ts';
import { tlsProbe } from '../../../src/probes/tls/tls-probe.ts';
import { udpProbe } from '../../../src/probes/udp/udp-probe.ts';
import { sshProbe } from '../../../src/probes/ssh/ssh-probe.ts';
import { starttlsProbe } from '../../../src/probes/starttls/starttls-probe.ts';
import { websocketProbe } from '../../../src/probes/websocket/websocket-probe.ts';
import type { Probe } from '../../../src/probes/probe.ts';
import type { HostileServers } from './hostile-servers.ts';
import { testProbeContext } from './probe-context.ts';
import { watchLoopLag } from '../loop-lag.ts';

export interface SoakOptions {
  servers: HostileServers;
  /** Number of checks to run. */
  n: number;
  /** Checks in flight at once. */
  concurrency: number;
  /**
   * Timeout of the checks whose target never answers (the AbortSignal ends them); short keeps
   * the soak fast.
   */
  timeoutMs?: number;
  /**
   * Timeout of the checks with a definite answer (ok, status, tls…), far beyond any scheduling
   * delay so that a busy machine cannot turn them into timeouts and empty the mix.
   */
  answerTimeoutMs?: number;
  /**
   * Checks run before the "before" measurement, so JIT code and lazily built caches (which
   * plateau) are not mistaken for growth per check.
   */
  warmup?: number;
}

export interface SoakReport {
  checks: number;
  durationMs: number;
  rssBefore: number;
  rssAfter: number;
  /** `rssAfter - rssBefore`, bytes, measured after a forced GC on both sides. */
  rssGrowth: number;
  heapUsedBefore: number;
  heapUsedAfter: number;
  /** Outcomes per failure class (`ok` for passes). */
  byClass: Record<string, number>;
  /** Longest single check, ms (informational: it includes any delay the machine imposed). */
  slowestMs: number;
  /**
   * Largest `latencyMs - timeoutMs` the probes themselves reported for checks whose target never
   * answers: how long after its signal the slowest one came back.
   */
  overrunMs: number;
  /** Largest event-loop lag measured during the measured run, ms (see loop-lag.ts). */
  maxLagMs: number;
}

/** `waits`: the target never answers, so the check ends at its timeout. */
type Case = { probe: Probe<any>; config: unknown; waits?: boolean };

/** The rotation of hostile checks, parsed through each probe's own schema. */
function hostileCases(servers: HostileServers): Case[] {
  const http = (url: string, extra: Record<string, unknown> = {}): Case => ({ probe: httpProbe, config: httpProbe.schema.parse({ url, ...extra }) });
  const waits = (c: Case): Case => ({ ...c, waits: true });
  const raw = (port: number) => `http://127.0.0.1:${port}/`;
  const ca = servers.certs.ca;
  return [
    http(`${servers.http}/ok`, { bodyContains: 'OK' }),
    http(`${servers.http}/status/500`),
    waits(http(`${servers.http}/slow/5000`)),
    waits(http(`${servers.http}/endless`)),
    http(`${servers.http}/big`, { maxBodyBytes: 256 * 1024 }),
    http(`${servers.http}/redirect-loop/a`),
    http(`${servers.http}/reset-mid-body`),
    waits(http(raw(servers.ports.slowloris))),
    http(raw(servers.ports.garbage)),
    waits(http(raw(servers.ports.silent))),
    http(raw(servers.ports.closed)),
    http(`${servers.https.valid}/json`, { tls: { ca }, json: { '$.status': 'ok' } }),
    http(`${servers.https.expired}/ok`, { tls: { ca } }),
    http(`${servers.https.selfSigned}/ok`),
    { probe: tlsProbe, config: tlsProbe.schema.parse({ host: '127.0.0.1', port: servers.tlsPorts.wrongHost, ca }) },
    { probe: tcpProbe, config: tcpProbe.schema.parse({ host: '127.0.0.1', port: servers.ports.banner, send: 'PING\r\n', expect: '+PONG' }) },
    { probe: tcpProbe, config: tcpProbe.schema.parse({ host: '127.0.0.1', port: servers.ports.silent, expect: 'never' }), waits: true },
    { probe: udpProbe, config: udpProbe.schema.parse({ host: '127.0.0.1', port: servers.udpPorts.echo, send: 'ping', expect: 'PONG' }) },
    { probe: udpProbe, config: udpProbe.schema.parse({ host: '127.0.0.1', port: servers.udpPorts.silent, send: 'ping' }), waits: true },
    { probe: sshProbe, config: sshProbe.schema.parse({ host: '127.0.0.1', port: servers.ports.slowloris }), waits: true },
    { probe: sshProbe, config: sshProbe.schema.parse({ host: '127.0.0.1', port: servers.ports.garbage, username: 'u', password: 'p' }) },
    // the banner fixture greets but never answers EHLO; the TLS port never sends an IMAP greeting
    { probe: starttlsProbe, config: starttlsProbe.schema.parse({ host: '127.0.0.1', port: servers.ports.banner, protocol: 'smtp' }), waits: true },
    { probe: starttlsProbe, config: starttlsProbe.schema.parse({ host: '127.0.0.1', port: servers.tlsPorts.valid, protocol: 'imaps', ca }), waits: true },
    { probe: websocketProbe, config: websocketProbe.schema.parse({ url: `ws://127.0.0.1:${servers.ports.silent}/` }), waits: true },
    { probe: websocketProbe, config: websocketProbe.schema.parse({ url: `${servers.https.valid.replace('https', 'wss')}/`, tls: { ca } }) },
  ];
}

/** Makes `gc()` callable without the --expose-gc flag (test tooling only). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** Runs the soak and reports memory; never throws for failing checks. */
export async function runHostileSoak(options: SoakOptions): Promise<SoakReport> {
  const cases = hostileCases(options.servers);
  const timeoutMs = options.timeoutMs ?? 200;
  const answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
  const byClass: Record<string, number> = {};
  let next = 0;
  let limit = options.warmup ?? 0;
  let slowestMs = 0;
  let overrunMs = -Infinity;
  const worker = async () => {
    while (next < limit) {
      const { probe, config, waits } = cases[next++ % cases.length];
      const t0 = performance.now();
      const outcome: ProbeOutcome = await probe.run(config, testProbeContext(waits ? timeoutMs : answerTimeoutMs, 'soak'));
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      if (waits) overrunMs = Math.max(overrunMs, outcome.latencyMs - timeoutMs);
      const key = outcome.ok ? 'ok' : outcome.failure?.class ?? 'unknown';
      byClass[key] = (byClass[key] ?? 0) + 1;
    }
  };
  const runAll = () => Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  await runAll();
  collectGarbage();
  const before = process.memoryUsage();
  const started = performance.now();
  next = 0;
  limit = options.n;
  for (const key of Object.keys(byClass)) delete byClass[key];
  slowestMs = 0;
  overrunMs = -Infinity;
  const lag = watchLoopLag();
  await runAll();
  const maxLagMs = await lag.stop();
  const durationMs = performance.now() - started;
  // Let destroyed sockets finish closing before measuring.
  await new Promise((resolve) => setTimeout(resolve, 100));
  collectGarbage();
  const after = process.memoryUsage();
  return {
    checks: options.n,
    durationMs: Math.round(durationMs),
    rssBefore: before.rss,
    rssAfter: after.rss,
    rssGrowth: after.rss - before.rss,
    heapUsedBefore: before.heapUsed,
    heapUsedAfter: after.heapUsed,
    byClass,
    slowestMs: Math.round(slowestMs),
    overrunMs: Math.round(overrunMs),
    maxLagMs,
  };
}
