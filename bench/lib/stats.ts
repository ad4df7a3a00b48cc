/**
 * Small numeric helpers shared by the benchmarks: percentiles over recorded samples and
 * formatting. Samples are kept whole (no sketches): the largest run records a few hundred
 * thousand values, which sorts in milliseconds.
 * @module
 */

/** Nearest-rank percentile of `values` (0 < p <= 100); NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** p50/p90/p99/max of a sample set. */
export function summarize(values: ArrayLike<number>): { n: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] : Number.NaN);
  return { n: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}

/** Rounds to `digits` significant-ish decimals for display. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `1234567` → `1,234,567`. */
export function thousands(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value);
}

/** CPU time (user + system) in seconds between two `process.cpuUsage()` readings. */
export function cpuSeconds(from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number {
  return (to.user - from.user + (to.system - from.system)) / 1e6;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Samples the process RSS every `everyMs`; `stop()` returns the peak seen (bytes). */
export function trackRss(everyMs = 250): { peak(): number; stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), everyMs);
  timer.unref();
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
