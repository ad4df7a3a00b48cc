/**
 * Puts an agent's result times on the server's clock. An agent stamps each result with its own
 * clock, and the server judges staleness by its own: an agent 20 s slow made its healthy region
 * look stale in every sample. So the agent sends the time it sent the batch (`sentAt`); the
 * server compares it with the time it received it, and shifts every result of the batch by that
 * offset when it is above `CLOCK_SKEW_LIMIT_MS` (below it, the difference is network delay).
 * Results whose times cannot be true — stamped after the batch was sent, or later than now once
 * corrected — are refused.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import { CLOCK_SKEW_LIMIT_MS } from '../kernel/clock-skew.ts';

export interface ServerTimedBatch {
  /** The plausible results, their times on the server's clock. */
  results: CheckResult[];
  /** Results refused for an impossible time. */
  implausible: number;
  /** Server's receive time − agent's send time, ms (positive: the agent's clock is behind); absent when the agent sent no `sentAt`. */
  offsetMs?: number;
}

/**
 * `sentAt`: the agent's clock when it sent the batch (older agents send none: their times are
 * taken as they are, only refused when in the future); `receivedAt`: the server's clock.
 */
export function toServerTime(results: readonly CheckResult[], sentAt: number | undefined, receivedAt: number): ServerTimedBatch {
  const offsetMs = sentAt === undefined ? undefined : receivedAt - sentAt;
  const shift = offsetMs !== undefined && Math.abs(offsetMs) > CLOCK_SKEW_LIMIT_MS ? offsetMs : 0;
  const out: CheckResult[] = [];
  let implausible = 0;
  for (const result of results) {
    const at = result.at + shift;
    const afterSending = sentAt !== undefined && result.at > sentAt + CLOCK_SKEW_LIMIT_MS;
    if (afterSending || at > receivedAt + CLOCK_SKEW_LIMIT_MS) {
      implausible++;
      continue;
    }
    out.push(shift ? { ...result, at } : result);
  }
  return offsetMs === undefined ? { results: out, implausible } : { results: out, implausible, offsetMs };
}
