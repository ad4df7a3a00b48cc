/**
 * Benchmark 3 — storage. (A) 90 days of 1-minute results written through the Store API, every
 * single one, with retention running daily, in batches of 10 minutes of results (so the table of
 * open-hour rows and the rollup merges look like a running monitor's); then the file is measured
 * (WAL checkpointed). Size is per check — raw blocks, rollups, states and names all scale with the
 * check count — so the full run writes 100 checks (12.96 M results) and scales ×10 to the bar's
 * 1,000 checks; the write rate measured on those 12.96 M results gives the time for 129.6 M.
 * (B) the page's queries on stores holding 1, 90 and 365 days of history for the same checks.
 * @module
 */
import { join } from 'node:path';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { numberOption, type Bench, type Row } from '../lib/bench.ts';
import { seedHistory, DEFAULT_RETENTION, type SeedReport } from '../lib/seed-history.ts';
import { round, thousands } from '../lib/stats.ts';
import { bareInsertRate } from './bare-insert.ts';
import { diskUsage, rollupSizeGap } from './disk-usage.ts';
import { timePageQueries, type QueryTiming } from './query-timing.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MB = 1024 * 1024;
const BATCH = 20_000;

const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${String(i).padStart(4, '0')}.example.com`);

export const storageBench: Bench = async (options) => {
  const quick = options.quick;
  const checks = numberOption(options, 'storage-checks', quick ? 20 : 100);
  // 1 = every minute for all 90 days (the default); larger values write older history coarser
  const olderMin = numberOption(options, 'storage-older-interval', 1);
  const batchMinutes = numberOption(options, 'storage-batch-minutes', 10);
  const queryChecks = numberOption(options, 'query-checks', quick ? 20 : 100);
  // ≤ 60 min, so every hourly bucket exists, as it would with minute results
  const queryOlderMin = numberOption(options, 'query-older-interval', 60);
  const now = Date.now();

  // ── A: 90 days × `checks` ────────────────────────────────────────────────────────────────
  const bigPath = join(options.tmpDir, 'storage-90d.db');
  const big = createSqliteStore({ path: bigPath });
  await big.migrate();
  const bigNames = names(checks);
  options.log(`storage: writing 90 days of results for ${thousands(checks)} checks (one per ${olderMin === 1 ? 'minute' : `${olderMin} min before the last 48 h`})`);
  const seeded = await seedHistory(big, {
    checks: bigNames,
    now,
    historyMs: 90 * DAY,
    rawWindowMs: DEFAULT_RETENTION.rawMs,
    rawIntervalMs: 60_000,
    olderIntervalMs: olderMin * 60_000,
    batchSize: checks * batchMinutes,
    onProgress: (done, written) => options.log(`storage: ${Math.round(done * 100)}% of 90 days, ${thousands(written)} results`),
  });
  await big.close();
  const disk = diskUsage(bigPath);
  const coarse = olderMin > 1;
  const rollupGap = coarse ? rollupSizeGap(bigPath, now - DEFAULT_RETENTION.rawMs) : { hourGapBytes: 0, dayGapBytes: 0, extraBytes: 0 };
  // all results when every one is written at the 1-minute rate; else only the raw window's
  const minuteRate = olderMin === 1 ? seeded.results / seeded.writeS : seeded.rawResults / seeded.rawWriteS;
  const fullResults = checks * 90 * 1440;
  // With coarse older history (--storage-older-interval > 1) those hours hold fewer results, so
  // their rollup rows are a few bytes shorter: add that back. (It cannot add back the free pages
  // hourly packing and daily retention leave behind — ~30% of a real file — so coarse runs
  // underestimate; the default writes every minute.)
  const correctedBytes = disk.totalBytes + rollupGap.extraBytes;
  const perThousand = (correctedBytes / checks) * 1000;

  options.log('storage: baseline inserts');
  const bare = bareInsertRate(join(options.tmpDir, 'bare.db'), checks, quick ? 300_000 : 1_000_000, checks * batchMinutes);

  // ── B: page queries vs history length ─────────────────────────────────────────────────────
  const histories: { days: number; seeded: SeedReport; timing: QueryTiming }[] = [];
  for (const days of [1, 90, 365]) {
    options.log(`storage: ${days}-day history for ${queryChecks} checks`);
    const store = createSqliteStore({ path: join(options.tmpDir, `query-${days}d.db`) });
    await store.migrate();
    const queryNames = names(queryChecks);
    const report = await seedHistory(store, {
      checks: queryNames,
      now,
      historyMs: days * DAY,
      rawWindowMs: Math.min(days * DAY, DEFAULT_RETENTION.rawMs),
      rawIntervalMs: 60_000,
      olderIntervalMs: queryOlderMin * 60_000,
      batchSize: BATCH,
    });
    histories.push({ days, seeded: report, timing: await timePageQueries(store, queryNames, quick ? 15 : 40) });
    await store.close();
  }
  const [d1, d90, d365] = histories;

  const scaled = checks !== 1000;
  const rows: Row[] = [
    { metric: 'history written', value: `${thousands(checks)} checks × 90 days`, note: `${thousands(seeded.results)} results in ${thousands(seeded.batches)} recordResults calls of ${batchMinutes} min each (${olderMin === 1 ? 'every result at the 1-minute rate' : `1-minute rate for the last 48 h, one per ${olderMin} min before`}); retention ran ${seeded.retentionRuns}×` },
    { metric: 'write time', value: `${round(seeded.writeS, 1)} s`, note: `+ ${round(seeded.retentionS, 1)} s in applyRetention` },
    { metric: 'write rate (1-minute results)', value: `${thousands(minuteRate)} results/s`, note: `bare better-sqlite3 insert, same batch size: ${thousands(bare.rate)} rows/s → Upstate at ${round((minuteRate / bare.rate) * 100, 1)}% of bare` },
    { metric: `time for 1,000 checks × 90 days (129.6 M results)`, value: `≈ ${round(129_600_000 / minuteRate / 60, 1)} min (extrapolated)`, note: `at the measured write rate; ${thousands(fullResults)} results were written here` },
    { metric: 'file size incl. WAL after checkpoint', value: `${round(disk.totalBytes / MB, 1)} MB`, note: `${round(disk.fileBytes / MB, 1)} MB file + ${round(disk.walBytes / MB, 1)} MB WAL + ${round(disk.shmBytes / MB, 2)} MB shm; ${thousands(disk.freePages)} of ${thousands(disk.pages)} pages free (reused by later writes)` },
    ...(!coarse ? [] : [{ metric: 'estimated size with minute-rate rollups', value: `${round(correctedBytes / MB, 1)} MB`, note: `+${round(rollupGap.extraBytes / MB, 2)} MB: coarse-rate rollup rows are ${round(rollupGap.hourGapBytes, 1)} B (hourly) / ${round(rollupGap.dayGapBytes, 1)} B (daily) shorter than minute-rate ones in the same file; free pages not included, so this is low` }]),
    ...(scaled ? [{ metric: 'size scaled to 1,000 checks', value: `${round(perThousand / MB, 1)} MB (×${round(1000 / checks, 2)})`, note: 'size is per check: raw blocks, rollups, states and names all scale with the check count' }] : []),
    { metric: 'largest tables', value: disk.tables.slice(0, 4).map((t) => `${t.name} ${round(t.bytes / MB, 1)} MB`).join(', ') || 'dbstat unavailable' },
  ];
  for (const h of histories) {
    rows.push({
      metric: `page queries, ${queryChecks} checks, ${h.days} d history`,
      value: `p50 ${round(h.timing.page.p50, 2)} ms, p99 ${round(h.timing.page.p99, 2)} ms`,
      note: `${thousands(h.timing.hourlyRows)} hourly + ${thousands(h.timing.dailyRows)} daily rollups read; check page p50 ${round(h.timing.checkPage.p50, 2)} ms; ${thousands(h.seeded.results)} results written`,
    });
  }
  const sizeForBar = scaled ? perThousand : correctedBytes;
  const flat = d365.timing.page.p50 <= 1.25 * d90.timing.page.p50;
  const bars = [
    { bar: '≤ 100 MB on disk for 1,000 checks × 90 days (incl. WAL, after checkpoint)', measured: `${round(sizeForBar / MB, 1)} MB${scaled ? ` (${round(disk.totalBytes / MB, 1)} MB for ${checks} checks, ×${round(1000 / checks, 2)})` : ''}${coarse ? ` (coarse older history: + ${round(rollupGap.extraBytes / MB, 2)} MB estimated)` : ''}`, met: sizeForBar <= 100 * MB },
    {
      bar: 'page queries cost the same with 1 day or 365 days of history',
      measured: `1 d ${round(d1.timing.page.p50, 2)} ms, 90 d ${round(d90.timing.page.p50, 2)} ms, 365 d ${round(d365.timing.page.p50, 2)} ms (365 d ÷ 90 d = ${round(d365.timing.page.p50 / d90.timing.page.p50, 2)}; 1 d reads fewer rows because its window is not yet full)`,
      met: flat,
    },
  ];
  return { name: 'storage', rows, bars, data: { checks, olderMin, batchMinutes, seeded, disk, rollupGap, correctedBytes, minuteRate, bare, histories } };
};
