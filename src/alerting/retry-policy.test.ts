import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextAttemptAt, retryDelay, type RetryPolicy } from './retry-policy.ts';

const policy: RetryPolicy = { baseMs: 1000, maxDelayMs: 8000, maxAttempts: 5, maxAgeMs: 60_000 };

describe('retry policy', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((a) => retryDelay(a, policy, () => 1)), [1000, 2000, 4000, 8000, 8000, 8000]);
    assert.deepEqual([1, 2, 3].map((a) => retryDelay(a, policy, () => 0)), [500, 1000, 2000]);
  });

  it('gives up after maxAttempts, past maxAge, or on a permanent failure', () => {
    const base = { createdAt: 0, now: 10_000, retryable: true };
    assert.equal(nextAttemptAt({ ...base, attempt: 1 }, policy, () => 1), 11_000);
    assert.equal(nextAttemptAt({ ...base, attempt: 5 }, policy, () => 1), undefined);
    assert.equal(nextAttemptAt({ ...base, attempt: 1, now: 59_500 }, policy, () => 1), undefined);
    assert.equal(nextAttemptAt({ ...base, attempt: 1, retryable: false }, policy), undefined);
  });
});
