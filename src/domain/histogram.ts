/**
 * A small fixed-bucket latency histogram shared by every store and by the status model, so
 * percentiles computed from hourly/daily rollups agree wherever they are read.
 * @module
 */

/** Upper bounds (ms, inclusive) of each bucket; the last bucket is everything above the last bound. */
const LATENCY_BUCKET_BOUNDS_MS = [
  10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2500, 5000, 10000,
] as const;

/** Number of buckets in every histogram (bounds + one overflow bucket). */
export const HISTOGRAM_SIZE = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Index of the bucket a latency falls into. */
export function bucketIndex(latencyMs: number): number {
  for (let i = 0; i < LATENCY_BUCKET_BOUNDS_MS.length; i++) {
    if (latencyMs <= LATENCY_BUCKET_BOUNDS_MS[i]) return i;
  }
  return LATENCY_BUCKET_BOUNDS_MS.length;
}

/** A new all-zero histogram. */
export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_SIZE).fill(0);
}

/** Adds `b` into `a` in place and returns `a`. */
export function mergeHistogram(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < HISTOGRAM_SIZE; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return a;
}

/**
 * Estimates the q-quantile (0..1) from a histogram by linear interpolation inside the bucket,
 * clamped to the observed min/max. Returns undefined for an empty histogram.
 */
export function histogramQuantile(
  histogram: readonly number[],
  q: number,
  observed: { min: number; max: number },
): number | undefined {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count === 0) continue;
    if (seen + count >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[i - 1];
      const upper = i < LATENCY_BUCKET_BOUNDS_MS.length ? LATENCY_BUCKET_BOUNDS_MS[i] : observed.max;
      const within = (rank - seen) / count;
      const estimate = lower + (upper - lower) * within;
      return Math.min(observed.max, Math.max(observed.min, estimate));
    }
    seen += count;
  }
  return observed.max;
}
