/**
 * Token-bucket rate limiting per key with bounded memory: buckets live in an LRU of at most
 * `maxKeys` entries, so a flood of distinct keys (spoofed clients, random tokens) costs a fixed
 * amount of memory. Evicting a bucket only forgets that key's debt — it errs on the permissive side.
 * @module
 */

export interface RateLimitOptions {
  /** Burst size: requests allowed at once after a quiet period. */
  capacity: number;
  /** Sustained rate: tokens added per second. */
  refillPerSecond: number;
  /** Most keys remembered (default 10 000). */
  maxKeys?: number;
}

type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Takes one token from `key`'s bucket at time `now` (epoch ms). */
  take(key: string, now: number): RateDecision;
  /** Keys currently remembered (for tests and metrics). */
  size(): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Creates a limiter; time is passed to `take`, so tests control it. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!(options.capacity >= 1) || !(options.refillPerSecond > 0) || !(maxKeys >= 1)) {
    throw new RangeError('rate limit needs capacity >= 1, refillPerSecond > 0 and maxKeys >= 1');
  }
  // A Map iterates in insertion order; re-inserting on every use keeps the least recent first.
  const buckets = new Map<string, Bucket>();

  return {
    take(key, now) {
      const bucket = buckets.get(key) ?? { tokens: options.capacity, updatedAt: now };
      buckets.delete(key);
      const elapsedMs = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(options.capacity, bucket.tokens + (elapsedMs / 1000) * options.refillPerSecond);
      bucket.updatedAt = Math.max(now, bucket.updatedAt);
      buckets.set(key, bucket);
      while (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / options.refillPerSecond) * 1000) };
    },
    size: () => buckets.size,
  };
}
