/**
 * Window arithmetic over rollups: uptime percentages, the 90-day bar and latency series. Pure
 * functions over already-read rollups; they never touch raw history.
 * @module
 */
import type { Rollup } from '../domain/rollup.ts';
import { RESOLUTION_MS, bucketStart } from '../domain/rollup.ts';
import { emptyHistogram, histogramQuantile, mergeHistogram } from '../domain/histogram.ts';
import type { LatencyPoint, LatencySummary } from './status-model.ts';

const HOUR = RESOLUTION_MS.hour;

/** Rounds a percentage to 2 decimals without ever showing 100 for something below it. */
export function percent(ok: number, count: number): number | null {
  if (count <= 0) return null;
  if (ok >= count) return 100;
  return Math.min(99.99, Math.floor((ok / count) * 10_000) / 100);
}

/** Summed `ok` and `count` of two windows ending at the same time: `[from, to)` and `[fromInner, to)`. */
export interface NestedTotals {
  ok: number;
  count: number;
  innerOk: number;
  innerCount: number;
}

/**
 * Sums `ok` and `count` of the rollups whose start is in `[from, to)`, and of those in the inner
 * window `[fromInner, to)` (`fromInner >= from`), in one pass: 24 h within 7 d, 30 d within 90 d.
 */
export function nestedTotals(rollups: readonly Rollup[], from: number, fromInner: number, to: number): NestedTotals {
  const t = { ok: 0, count: 0, innerOk: 0, innerCount: 0 };
  for (const r of rollups) {
    if (r.start < from || r.start >= to) continue;
    t.ok += r.ok;
    t.count += r.count;
    if (r.start >= fromInner) {
      t.innerOk += r.ok;
      t.innerCount += r.count;
    }
  }
  return t;
}

/**
 * The rollups of one check by bucket position in `[first, first + n × size)`: an array lookup per
 * bucket instead of a Map per check (a later duplicate wins, as a Map would have it).
 */
export function bySlot(rollups: readonly Rollup[], first: number, size: number, n: number): (Rollup | undefined)[] {
  const slots = new Array<Rollup | undefined>(n);
  for (const r of rollups) {
    const k = (r.start - first) / size;
    if (k >= 0 && k < n && Number.isInteger(k)) slots[k] = r;
  }
  return slots;
}

/** Start of the window of `buckets` aligned buckets ending with the one containing `now`. */
export function windowStart(now: number, resolution: 'hour' | 'day', buckets: number): number {
  return bucketStart(now, resolution) - (buckets - 1) * RESOLUTION_MS[resolution];
}

function round1(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;
}

/** Hourly latency points (avg + p95 from each hour's histogram), oldest first. */
export function latencySeries(hourly: readonly Rollup[], now: number, hours: number): LatencyPoint[] {
  const first = windowStart(now, 'hour', hours);
  const slots = bySlot(hourly, first, HOUR, hours);
  const points: LatencyPoint[] = [];
  for (let i = 0; i < hours; i++) {
    const start = first + i * HOUR;
    const r = slots[i];
    if (!r || r.count === 0) {
      points.push({ start, avg: null, p95: null, count: 0 });
      continue;
    }
    const observed = { min: r.latencyMin, max: r.latencyMax };
    points.push({
      start,
      avg: round1(r.latencySum / r.count),
      p95: round1(histogramQuantile(r.histogram, 0.95, observed)),
      count: r.count,
    });
  }
  return points;
}

/** Percentiles over every rollup with start in `[from, to)`, from their merged histograms. */
export function latencySummary(rollups: readonly Rollup[], from: number, to: number): LatencySummary {
  const histogram = emptyHistogram();
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const r of rollups) {
    if (r.start < from || r.start >= to || r.count === 0) continue;
    mergeHistogram(histogram, r.histogram);
    count += r.count;
    sum += r.latencySum;
    min = Math.min(min, r.latencyMin);
    max = Math.max(max, r.latencyMax);
  }
  if (count === 0) return { count: 0, avg: null, min: null, max: null, p50: null, p95: null, p99: null };
  const observed = { min, max };
  return {
    count,
    avg: round1(sum / count),
    min: round1(min),
    max: round1(max),
    p50: round1(histogramQuantile(histogram, 0.5, observed)),
    p95: round1(histogramQuantile(histogram, 0.95, observed)),
    p99: round1(histogramQuantile(histogram, 0.99, observed)),
  };
}
