/**
 * Writes fast-forwarded history through the `Store` API, oldest first, the way a running
 * Upstate would have: `recordResults` in large batches (each batch a slice of time across all
 * checks, with the confirmed states), and `applyRetention` every 10 simulated minutes (as
 * src/runtime/node/background-services.ts runs it).
 *
 * Two rates: `rawIntervalMs` for the newest `rawWindowMs` (what raw retention keeps) and
 * `olderIntervalMs` before that. Older results only survive as hourly/daily rollups, whose size
 * and read cost do not depend on how many results were counted into them; writing them at a
 * coarser rate gives the same rows for a fraction of the time. Set both to 60 s for the real
 * thing. Results are deterministic (seeded PRNG): ~0.3% down, latency ~20–200 ms with a 1% tail.
 * @module
 */
import type { CheckResult } from '../../src/domain/result.ts';
import type { CheckState } from '../../src/domain/status.ts';
import type { RetentionPolicy, EmbeddedStore } from '../../src/storage/store.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';

export const DEFAULT_RETENTION: RetentionPolicy = { rawMs: 48 * 3_600_000, hourlyMs: 30 * 86_400_000, dailyMs: 400 * 86_400_000 };

export interface SeedOptions {
  checks: readonly string[];
  /** End of history (exclusive), epoch ms. */
  now: number;
  /** Total history length. */
  historyMs: number;
  rawWindowMs: number;
  rawIntervalMs: number;
  olderIntervalMs: number;
  /** Results per `recordResults` call (rounded to whole time slices). */
  batchSize: number;
  retention?: RetentionPolicy;
  /** Simulated time between `applyRetention` runs; default 10 min, as runtime/node runs it. */
  retentionEveryMs?: number;
  /** Called about every 5 s of wall time with progress 0..1. */
  onProgress?(done: number, written: number): void;
}

export interface SeedReport {
  results: number;
  batches: number;
  writeS: number;
  retentionS: number;
  retentionRuns: number;
  /** Of `results`/`writeS`: the part written at the raw (1-minute) rate. */
  rawResults: number;
  rawWriteS: number;
}

/**
 * One plausible http result, shaped like the http probe's: a host name (so a DNS phase), connect
 * and first-byte phases, `details.bodyBytes`, times at the probe's 0.01 ms precision.
 */
export function syntheticResult(check: string, at: number, random: () => number): CheckResult {
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const down = random() < 0.003;
  const dns = r2(0.3 + random() * 2);
  const connect = r2(5 + random() * 30);
  const r = random();
  const server = 10 + r * r * 150 + (random() < 0.01 ? 2000 * random() : 0);
  const latency = r2(dns + connect + server);
  const timings = { dns, connect, firstByte: r2(server - 0.5), total: latency };
  if (down) {
    return { check, at, status: 'down', latencyMs: latency, statusCode: 503, failure: { class: 'status', message: 'status 503 is not in 200-399' }, timings, details: { bodyBytes: 162 } };
  }
  return { check, at, status: 'up', latencyMs: latency, statusCode: 200, timings, details: { bodyBytes: 1200 + Math.floor(random() * 64) } };
}

export async function seedHistory(store: EmbeddedStore, options: SeedOptions): Promise<SeedReport> {
  const random = seededRandom(42);
  const { checks, now } = options;
  const start = now - options.historyMs;
  const rawFrom = now - options.rawWindowMs;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const slicesPerBatch = Math.max(1, Math.floor(options.batchSize / checks.length));
  const states = new Map<string, CheckState>();
  const report: SeedReport = { results: 0, batches: 0, writeS: 0, retentionS: 0, retentionRuns: 0, rawResults: 0, rawWriteS: 0 };
  let lastProgress = performance.now();
  const retentionEvery = options.retentionEveryMs ?? 10 * 60_000;
  let nextRetention = start + retentionEvery;

  let t = start;
  while (t < now) {
    const results: CheckResult[] = [];
    const rawBatch = t >= rawFrom;
    for (let slice = 0; slice < slicesPerBatch && t < now; slice++) {
      // each check at its own offset inside the slice, like the scheduler's phases
      // the last coarse slice is shortened so the raw window starts exactly at rawFrom
      const step = t >= rawFrom ? options.rawIntervalMs : Math.min(options.olderIntervalMs, rawFrom - t);
      for (let i = 0; i < checks.length; i++) {
        const at = t + Math.floor((i / checks.length) * step);
        if (at >= now) continue;
        const result = syntheticResult(checks[i], at, random);
        results.push(result);
        const prev = states.get(checks[i]);
        states.set(checks[i], {
          check: checks[i],
          status: result.status,
          since: prev && prev.status === result.status ? prev.since : at,
          lastResult: result,
          streak: 0,
        });
      }
      t += step;
    }
    const w = performance.now();
    await store.recordResults({ results, states: [...states.values()] });
    const took = (performance.now() - w) / 1000;
    report.writeS += took;
    report.results += results.length;
    if (rawBatch) {
      report.rawWriteS += took;
      report.rawResults += results.length;
    }
    report.batches++;
    if (t >= nextRetention) {
      const r = performance.now();
      await store.applyRetention(t, retention);
      report.retentionS += (performance.now() - r) / 1000;
      report.retentionRuns++;
      while (nextRetention <= t) nextRetention += retentionEvery;
    }
    if (options.onProgress && performance.now() - lastProgress > 5000) {
      lastProgress = performance.now();
      options.onProgress((t - start) / options.historyMs, report.results);
    }
  }
  const r = performance.now();
  await store.applyRetention(now, retention);
  report.retentionS += (performance.now() - r) / 1000;
  report.retentionRuns++;
  return report;
}
