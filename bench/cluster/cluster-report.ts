/**
 * Turns the cluster benchmark's raw figures into its table and bars. Per-1,000-result costs
 * (CPU, bytes, WAL) are the figures that carry to other machines; rates depend on the box.
 * @module
 */
import type { Bar, BenchResult, Row } from '../lib/bench.ts';
import { round, thousands } from '../lib/stats.ts';
import type { InstanceFigures, PhaseFigures } from './measure-phase.ts';
import type { PgSnapshot } from './pg-figures.ts';
import type { Ledger } from './slot-ledger.ts';

const MB = 1024 * 1024;

interface PgWindow {
  cpuS: number;
  processes: number;
  before: PgSnapshot;
  after: PgSnapshot;
}

export interface ClusterFigures {
  checks: number;
  intervalMs: number;
  concurrency: number;
  settings: Record<string, string>;
  cluster: PhaseFigures<PgWindow>;
  ledger: Ledger;
  embedded?: { phase: PhaseFigures<undefined>; ledger: Ledger };
}

const perMinute = (count: number, windowS: number) => (count / windowS) * 60;
const msPer = (cpuS: number, n: number) => (cpuS / Math.max(1, n)) * 1000;

/** Mean delay between a check's slot and its claim, ms, over the window. */
function meanLagMs(i: InstanceFigures): number {
  return (i.counters.lagSumS / Math.max(1, i.counters.lagCount)) * 1000;
}

function lagNote(i: InstanceFigures): string {
  return `mean lag ${round(meanLagMs(i), 0)} ms, ${i.counters.lagOver5s} runs > 5 s late`;
}

function ledgerNote(l: Ledger): string {
  const examples = [...l.duplicateExamples, ...l.gapExamples];
  return `${thousands(l.delivered)} of ${thousands(l.expected)} slots in the window stored; ${l.duplicates} duplicate rows, ${l.gaps} gaps${examples.length ? ` (e.g. ${examples.slice(0, 3).join(', ')})` : ''}`;
}

export function clusterReport(f: ClusterFigures): BenchResult {
  const { cluster, ledger } = f;
  const w = cluster.windowS;
  const scheduledPerMin = (f.checks * 60_000) / f.intervalMs;
  const deliveredPerMin = perMinute(ledger.delivered, w);
  const exactlyOnce = ledger.duplicates === 0 && ledger.gaps === 0;
  const pg = cluster.outside;
  const stored = pg.after.resultRows - pg.before.resultRows;
  const perK = (bytes: number) => (bytes / Math.max(1, stored)) * 1000;
  const pgCpuPerK = (pg.cpuS / Math.max(1, stored)) * 1000;
  const instanceCpu = cluster.instances.reduce((s, i) => s + i.cpuS, 0);
  // an instance too busy to answer /metrics leaves NaN: then the stored results divide instead
  const counted = cluster.instances.reduce((s, i) => s + i.counters.results, 0);
  const instanceResults = Number.isFinite(counted) ? counted : stored;
  const clusterMsPerCheck = msPer(instanceCpu, instanceResults);
  const emb = f.embedded;
  const embResults = emb ? emb.phase.instances[0].counters.results : 0;
  const embMsPerCheck = emb ? msPer(emb.phase.instances[0].cpuS, embResults) : Number.NaN;
  const vsEmbedded = (ms: number) => (emb ? ` (${round(ms / embMsPerCheck, 2)}× embedded)` : '');

  const rows: Row[] = [
    { metric: 'checks configured', value: `${thousands(f.checks)} every ${f.intervalMs / 1000} s`, note: `${thousands(scheduledPerMin)} checks/min scheduled over ${cluster.instances.length} instances; scheduler.concurrency ${f.concurrency} per process` },
    { metric: 'delivered checks/min', value: thousands(deliveredPerMin), note: `${round((deliveredPerMin / scheduledPerMin) * 100, 1)}% of scheduled, ${round(w, 1)} s window; load avg ${round(cluster.load[0], 2)} → ${round(cluster.load[1], 2)}` },
    { metric: 'stored exactly once', value: exactlyOnce ? 'yes' : 'NO', note: ledgerNote(ledger) },
    ...cluster.instances.map((i, n) => ({
      metric: `instance ${n + 1}`,
      value: `${round(i.cpuS / w, 2)} cores, ${round(msPer(i.cpuS, i.counters.results), 3)} CPU-ms/check${vsEmbedded(msPer(i.cpuS, i.counters.results))}`,
      note: `${thousands(i.counters.results)} results (${round((i.counters.results / Math.max(1, instanceResults)) * 100, 1)}%), peak RSS ${round(i.peakRssBytes / MB, 0)} MB, ${lagNote(i)}, exit ${i.exitCode}`,
    })),
    { metric: 'instances together', value: `${round(instanceCpu / w, 2)} cores, ${round(clusterMsPerCheck, 3)} CPU-ms/check${vsEmbedded(clusterMsPerCheck)}` },
    { metric: 'PostgreSQL CPU', value: `${round(pg.cpuS / w, 2)} cores, ${round(pgCpuPerK, 3)} CPU-s per 1,000 results`, note: `${round(pg.cpuS, 1)} CPU-s over postmaster + ${pg.processes - 1} child processes; ${thousands(stored)} results stored in the window; one core at this cost ≈ ${thousands(60 / (pgCpuPerK / 1000))} results/min (derived)` },
    { metric: 'PostgreSQL growth per 1,000 results', value: `${thousands(perK(pg.after.databaseBytes - pg.before.databaseBytes))} B database`, note: `results table+indexes ${thousands(perK(pg.after.tableBytes.results - pg.before.tableBytes.results))} B, rollups ${thousands(perK(pg.after.tableBytes.rollups - pg.before.tableBytes.rollups))} B, check_states ${thousands(perK(pg.after.tableBytes.check_states - pg.before.tableBytes.check_states))} B (page-granular: 8 KiB steps)` },
    { metric: 'WAL per 1,000 results', value: `${thousands(perK(pg.after.walBytes - pg.before.walBytes))} B`, note: `${round((pg.after.walBytes - pg.before.walBytes) / MB, 1)} MB in the window; ${Object.entries(f.settings).map(([k, v]) => `${k}=${v}`).join(', ')}` },
  ];
  if (emb) {
    const e = emb.phase.instances[0];
    rows.push(
      { metric: 'embedded (SQLite), same config', value: `${round(e.cpuS / emb.phase.windowS, 2)} cores, ${round(embMsPerCheck, 3)} CPU-ms/check`, note: `${thousands(perMinute(emb.ledger.delivered, emb.phase.windowS))} checks/min delivered, ${thousands(e.counters.results)} results, peak RSS ${round(e.peakRssBytes / MB, 0)} MB, ${lagNote(e)}, load avg ${round(emb.phase.load[0], 2)} → ${round(emb.phase.load[1], 2)}` },
      { metric: 'embedded stored exactly once', value: emb.ledger.duplicates === 0 && emb.ledger.gaps === 0 ? 'yes' : 'NO', note: ledgerNote(emb.ledger) },
      { metric: 'cluster total (instances + PostgreSQL) per check', value: `${round(clusterMsPerCheck + pgCpuPerK, 3)} CPU-ms`, note: `${round((clusterMsPerCheck + pgCpuPerK) / embMsPerCheck, 2)}× embedded's ${round(embMsPerCheck, 3)} CPU-ms` },
    );
  }
  const bars: Bar[] = [
    {
      bar: '3 instances share 100,000 checks/min on one PostgreSQL, every result stored exactly once',
      measured: `${thousands(deliveredPerMin)} checks/min of ${thousands(scheduledPerMin)} scheduled on ${cluster.instances.length} instances, ${ledger.duplicates} duplicates, ${ledger.gaps} gaps`,
      met: cluster.instances.length >= 3 && scheduledPerMin >= 100_000 && deliveredPerMin >= 0.99 * scheduledPerMin && exactlyOnce,
    },
    { bar: 'every slot of the window stored exactly once (at the scale run)', measured: `${ledger.duplicates} duplicates, ${ledger.gaps} gaps in ${thousands(ledger.expected)} slots`, met: exactlyOnce },
    {
      // delivered and stored is not enough: an instance that keeps up a minute late misses outages
      bar: 'on time: every instance’s mean scheduling lag ≤ 1 s in the window',
      measured: cluster.instances.map((i) => `${round(meanLagMs(i), 0)} ms`).join(', '),
      met: cluster.instances.every((i) => meanLagMs(i) <= 1000),
    },
  ];
  return { name: 'cluster', rows, bars, data: { ...f, scheduledPerMin, deliveredPerMin, stored, pgCpuPerK, clusterMsPerCheck, embMsPerCheck } };
}
