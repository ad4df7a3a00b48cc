/**
 * How long after start the first round of never-run checks is spread over. Those checks run
 * "soon" (so the page has something to show), each at its stable phase modulo this window; a
 * fixed 5 s window started 1,000 checks at 200 a second while the process was still warming up,
 * and on a busy host that burst starved the loop into false timeouts. The window grows with the
 * number of checks so the first round starts at most about `FIRST_ROUND_RATE_PER_S` checks a
 * second, and is capped at a minute. A check whose regular slot comes earlier keeps it (the
 * scheduler takes the earlier of the two), so no check waits longer than its own interval.
 * @module
 */
import type { Check } from '../domain/check.ts';

/** First-round starts per second the window is sized for. */
export const FIRST_ROUND_RATE_PER_S = 20;
const MIN_WINDOW_MS = 5_000;
const MAX_WINDOW_MS = 60_000;

/** The first-round window for these checks, in ms. Pure. */
export function firstRoundWindowMs(checks: readonly Check[]): number {
  const needed = Math.ceil((checks.length / FIRST_ROUND_RATE_PER_S) * 1000);
  return Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, needed));
}
