/**
 * Window arithmetic over a check's rollups (`CheckHistory` buckets): uptime percentages and
 * latency series. Pure functions over already-read rollups; they never touch raw history.
 * @module
 */
import { RESOLUTION_MS, bucketStart } from '../domain/rollup.ts';
import { HISTOGRAM_SIZE, histogramQuantile } from '../domain/histogram.ts';
import { HOUR, type BucketTable } from './check-history.ts';
import type { LatencyPoint, LatencySummary } from './status-model.ts';

const HOUR_MS = RESOLUTION_MS.hour;

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
 * Sums `ok` and `count` of the buckets whose start is in `[from, to)`, and of those in the inner
 * window `[fromInner, to)` (`fromInner >= from`), in one pass: 24 h within 7 d, 30 d within 90 d.
 * Both tables keep count and ok as a slot's first two integers.
 */
export function nestedTotals(table: BucketTable | undefined, from: number, fromInner: number, to: number): NestedTotals {
  const t = { ok: 0, count: 0, innerOk: 0, innerCount: 0 };
  if (!table) return t;
  const { words, stride, size, first, length } = table;
  for (let i = 0; i < length; i++) {
    const start = first + i * size;
    if (start < from || start >= to) continue;
    const count = words[i * stride];
    const ok = words[i * stride + 1];
    t.ok += ok;
    t.count += count;
    if (start >= fromInner) {
      t.innerOk += ok;
      t.innerCount += count;
    }
  }
  return t;
}

/** Start of the window of `buckets` aligned buckets ending with the one containing `now`. */
export function windowStart(now: number, resolution: 'hour' | 'day', buckets: number): number {
  return bucketStart(now, resolution) - (buckets - 1) * RESOLUTION_MS[resolution];
}

function round1(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;
}

/** The histogram of hour slot `slot` as a plain array (what `histogramQuantile` reads). */
function histogramAt(hours: BucketTable, slot: number, into: number[]): number[] {
  const k = slot * hours.stride + HOUR.histogram;
  for (let b = 0; b < HISTOGRAM_SIZE; b++) into[b] = hours.words[k + b];
  return into;
}

/** Hourly latency points (avg + p95 from each hour's histogram), oldest first. */
export function latencySeries(hours: BucketTable | undefined, now: number, n: number): LatencyPoint[] {
  const first = windowStart(now, 'hour', n);
  const points: LatencyPoint[] = [];
  const histogram = new Array<number>(HISTOGRAM_SIZE);
  for (let i = 0; i < n; i++) {
    const start = first + i * HOUR_MS;
    const slot = hours ? hours.indexOf(start) : -1;
    const count = hours && slot >= 0 ? hours.words[slot * hours.stride + HOUR.count] : 0;
    if (!hours || count === 0) {
      points.push({ start, avg: null, p95: null, count: 0 });
      continue;
    }
    const observed = { min: hours.float(slot, HOUR.min), max: hours.float(slot, HOUR.max) };
    points.push({
      start,
      avg: round1(hours.float(slot, HOUR.sum) / count),
      p95: round1(histogramQuantile(histogramAt(hours, slot, histogram), 0.95, observed)),
      count,
    });
  }
  return points;
}

/** Percentiles over every hour with start in `[from, to)`, from their merged histograms. */
export function latencySummary(hours: BucketTable | undefined, from: number, to: number): LatencySummary {
  const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; hours && i < hours.length; i++) {
    const start = hours.first + i * hours.size;
    const k = i * hours.stride;
    const n = hours.words[k + HOUR.count];
    if (start < from || start >= to || n === 0) continue;
    for (let b = 0; b < HISTOGRAM_SIZE; b++) histogram[b] += hours.words[k + HOUR.histogram + b];
    count += n;
    sum += hours.float(i, HOUR.sum);
    min = Math.min(min, hours.float(i, HOUR.min));
    max = Math.max(max, hours.float(i, HOUR.max));
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
