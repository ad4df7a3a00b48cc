/**
 * A throttle on failed guesses of a secret (admin tokens, agent tokens), per client key: a key
 * may fail `burst` times, then once every `1 / refillPerSecond` seconds. Only failures spend
 * budget, so a client using a right token is never slowed, and a blocked key is refused *before*
 * the secret is checked, so a refused guess learns nothing.
 *
 * Memory is bounded: at most `maxKeys` keys are remembered (least recently failed forgotten first).
 * @module
 */

export interface GuessThrottleOptions {
  /** Failures allowed at once after a quiet period (default 10). */
  burst?: number;
  /** Failures regained per second (default 0.2: one every 5 s). */
  refillPerSecond?: number;
  /** Most keys remembered (default 10 000). */
  maxKeys?: number;
}

export interface GuessThrottle {
  /** Milliseconds `key` must wait before its next guess is checked; 0 = it may guess now. */
  retryAfterMs(key: string, now: number): number;
  /** Spends one guess of `key`'s budget (call after a wrong secret). */
  fail(key: string, now: number): void;
}

interface Budget {
  left: number;
  at: number;
}

/** Creates a throttle; time is passed in, so tests control it. */
export function createGuessThrottle(options: GuessThrottleOptions = {}): GuessThrottle {
  const burst = options.burst ?? 10;
  const refill = options.refillPerSecond ?? 0.2;
  const maxKeys = options.maxKeys ?? 10_000;
  const budgets = new Map<string, Budget>();
  const current = (key: string, now: number): number => {
    const budget = budgets.get(key);
    if (!budget) return burst;
    return Math.min(burst, budget.left + (Math.max(0, now - budget.at) / 1000) * refill);
  };

  return {
    retryAfterMs(key, now) {
      const left = current(key, now);
      return left >= 1 ? 0 : Math.ceil(((1 - left) / refill) * 1000);
    },
    fail(key, now) {
      const left = Math.max(0, current(key, now) - 1);
      // re-inserting keeps the Map in least-recently-failed order
      budgets.delete(key);
      budgets.set(key, { left, at: now });
      while (budgets.size > maxKeys) budgets.delete(budgets.keys().next().value as string);
    },
  };
}
