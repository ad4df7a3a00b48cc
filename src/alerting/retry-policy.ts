/**
 * When a failed delivery is tried again: exponential backoff with jitter, capped in delay, in
 * attempts and in age, after which the notification is marked failed for good.
 * @module
 */

export interface RetryPolicy {
  /** Delay before the second attempt. */
  baseMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** A notification older than this is not tried again (a day-old "down" helps nobody). */
  maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  maxDelayMs: 15 * 60_000,
  maxAttempts: 12,
  maxAgeMs: 24 * 3_600_000,
};

/**
 * Delay after the `attempt`-th failure (1-based): base·2^(attempt−1), capped, with "equal
 * jitter" (half fixed, half random) so instances retrying a recovered channel spread out.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** The retry time after a failure, or undefined when the notification should be given up. */
export function nextAttemptAt(
  failure: { attempt: number; createdAt: number; now: number; retryable: boolean },
  policy: RetryPolicy,
  random?: () => number,
): number | undefined {
  if (!failure.retryable || failure.attempt >= policy.maxAttempts) return undefined;
  const at = failure.now + retryDelay(failure.attempt, policy, random);
  return at - failure.createdAt > policy.maxAgeMs ? undefined : at;
}
