import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import { claimLeaseMs } from './claim-schedule-source.ts';

const check = (intervalMs: number, timeoutMs: number) => ({ intervalMs, timeoutMs }) as Check;

describe('claimLeaseMs', () => {
  it('covers the longest run when intervals are long', () => {
    assert.equal(claimLeaseMs([check(60_000, 10_000), check(300_000, 30_000)]), 31_000);
  });

  it('always ends before the shortest interval, so a dead owner’s checks move at their next slot', () => {
    assert.equal(claimLeaseMs([check(2_000, 1_000), check(60_000, 10_000)]), 1_800);
    for (const interval of [1_000, 2_000, 30_000]) assert.ok(claimLeaseMs([check(interval, interval)]) < interval);
  });
});
