/**
 * Rollups: per-check aggregates over an hour or a day. The page and APIs read these (plus the raw
 * tail) so a read costs the same with a day or a year of history.
 * @module
 */
import type { CheckResult } from './result.ts';
import { bucketIndex, emptyHistogram, mergeHistogram } from './histogram.ts';

export type Resolution = 'hour' | 'day';

export const RESOLUTION_MS: Record<Resolution, number> = {
  hour: 3_600_000,
  day: 86_400_000,
};

/** One rollup bucket for one check. `start` is aligned to UTC hour/day boundaries. */
export interface Rollup {
  check: string;
  resolution: Resolution;
  start: number;
  /** Results counted (results during maintenance are not counted). */
  count: number;
  /** Of those, results that were up or degraded. */
  ok: number;
  /** Of the counted results, those that were degraded (slow but up). */
  degraded: number;
  /** Results during maintenance: stored, not counted above, so the history can still show them. */
  maintenance: number;
  latencySum: number;
  latencyMin: number;
  latencyMax: number;
  /** Fixed-bucket latency histogram, see domain/histogram.ts. */
  histogram: number[];
  /** HTTP responses by family: 4xx except 429, 429, 5xx. */
  http4xx: number;
  http429: number;
  http5xx: number;
}

/** Start of the bucket containing `at`. */
export function bucketStart(at: number, resolution: Resolution): number {
  const size = RESOLUTION_MS[resolution];
  return Math.floor(at / size) * size;
}

/** A rollup with nothing counted yet. */
export function emptyRollup(check: string, resolution: Resolution, start: number): Rollup {
  return {
    check,
    resolution,
    start,
    count: 0,
    ok: 0,
    degraded: 0,
    maintenance: 0,
    latencySum: 0,
    latencyMin: Number.POSITIVE_INFINITY,
    latencyMax: 0,
    histogram: emptyHistogram(),
    http4xx: 0,
    http429: 0,
    http5xx: 0,
  };
}

/** Counts one result into a rollup in place. */
function addToRollup(rollup: Rollup, result: CheckResult): Rollup {
  if (result.inMaintenance) {
    rollup.maintenance += 1;
    return rollup;
  }
  rollup.count += 1;
  if (result.status !== 'down') rollup.ok += 1;
  if (result.status === 'degraded') rollup.degraded += 1;
  rollup.latencySum += result.latencyMs;
  rollup.latencyMin = Math.min(rollup.latencyMin, result.latencyMs);
  rollup.latencyMax = Math.max(rollup.latencyMax, result.latencyMs);
  rollup.histogram[bucketIndex(result.latencyMs)] += 1;
  const code = result.statusCode;
  if (code === 429) rollup.http429 += 1;
  else if (code !== undefined && code >= 400 && code < 500) rollup.http4xx += 1;
  else if (code !== undefined && code >= 500 && code < 600) rollup.http5xx += 1;
  return rollup;
}

/** Merges `b` into `a` in place (same check and resolution; used to combine partial rollups). */
export function mergeRollup(a: Rollup, b: Rollup): Rollup {
  a.count += b.count;
  a.ok += b.ok;
  a.degraded += b.degraded;
  a.maintenance += b.maintenance;
  a.latencySum += b.latencySum;
  a.latencyMin = Math.min(a.latencyMin, b.latencyMin);
  a.latencyMax = Math.max(a.latencyMax, b.latencyMax);
  mergeHistogram(a.histogram, b.histogram);
  a.http4xx += b.http4xx;
  a.http429 += b.http429;
  a.http5xx += b.http5xx;
  return a;
}

/**
 * Groups a batch of results into hour and day rollups (one per check and bucket), ready to be
 * merged into stored rollups with one upsert each.
 */
export function rollupsOf(results: readonly CheckResult[]): Rollup[] {
  const byKey = new Map<string, Rollup>();
  for (const result of results) {
    for (const resolution of ['hour', 'day'] as const) {
      const start = bucketStart(result.at, resolution);
      const key = `${result.check}\u0000${resolution}\u0000${start}`;
      let rollup = byKey.get(key);
      if (!rollup) {
        rollup = emptyRollup(result.check, resolution, start);
        byKey.set(key, rollup);
      }
      addToRollup(rollup, result);
    }
  }
  return [...byKey.values()];
}
