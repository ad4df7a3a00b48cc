/**
 * Reads an instance's own counters from its `/metrics`: how many results it produced (the
 * result bus only — results relayed from other instances are not counted) and its scheduling
 * lag histogram, so each instance's CPU can be divided by its own results.
 * @module
 */

export interface InstanceCounters {
  results: number;
  lagCount: number;
  lagSumS: number;
  /** Runs that started more than 5 s late. */
  lagOver5s: number;
}

function sumOf(text: string, pattern: RegExp): number {
  let total = 0;
  for (const match of text.matchAll(pattern)) total += Number(match[1]);
  return total;
}

/** NaN everywhere: the instance did not answer /metrics in time (itself a finding: its event loop was blocked). */
const UNANSWERED: InstanceCounters = { results: Number.NaN, lagCount: Number.NaN, lagSumS: Number.NaN, lagOver5s: Number.NaN };

export async function readCounters(baseUrl: string): Promise<InstanceCounters> {
  let text: string;
  try {
    text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(90_000) })).text();
  } catch {
    return UNANSWERED;
  }
  const lagCount = sumOf(text, /^upstate_scheduler_lag_seconds_count(?:\{[^}]*\})? (\S+)$/gm);
  const within5 = sumOf(text, /^upstate_scheduler_lag_seconds_bucket\{le="5"[^}]*\} (\S+)$/gm);
  return {
    results: sumOf(text, /^upstate_results_total\{[^}]*\} (\S+)$/gm),
    lagCount,
    lagSumS: sumOf(text, /^upstate_scheduler_lag_seconds_sum(?:\{[^}]*\})? (\S+)$/gm),
    lagOver5s: lagCount - within5,
  };
}

/** Difference of two readings (the window's share). */
export function countersDelta(a: InstanceCounters, b: InstanceCounters): InstanceCounters {
  return { results: b.results - a.results, lagCount: b.lagCount - a.lagCount, lagSumS: b.lagSumS - a.lagSumS, lagOver5s: b.lagOver5s - a.lagOver5s };
}
