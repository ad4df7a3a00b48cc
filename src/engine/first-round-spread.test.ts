/**
 * The first round after start: checks that never ran start soon, but not in one burst while the
 * process is still warming up. Driven through the real heap schedule source on a manual clock,
 * so the figures are exact: first runs per second of the first round.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import { createManualClock } from '../kernel/clock.ts';
import { createHeapScheduleSource } from './heap-schedule-source.ts';
import { FIRST_ROUND_RATE_PER_S, firstRoundWindowMs } from './first-round-spread.ts';

function checks(count: number, intervalMs = 60_000): Check[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `check ${i}`, kind: 'up', intervalMs, timeoutMs: 1000, conditions: [], probe: {}, target: `t${i}`, regions: ['local'], quorum: 1,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
  }));
}

/** Starts the heap source with never-run checks and returns each check's first start, ms after start. */
async function firstStarts(list: Check[]): Promise<Map<string, number>> {
  const clock = createManualClock(1_000_000);
  const starts = new Map<string, number>();
  const source = createHeapScheduleSource({ checks: list, clock, concurrency: 10_000, runSoon: () => true });
  await source.start(async (ran) => {
    for (const check of ran) if (!starts.has(check.name)) starts.set(check.name, clock.now() - 1_000_000);
    return [];
  }, (error) => assert.fail(String(error)));
  await clock.advance(65_000);
  await source.stop();
  return starts;
}

function busiestSecond(starts: Map<string, number>): number {
  const perSecond = new Map<number, number>();
  for (const at of starts.values()) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  return Math.max(...perSecond.values());
}

describe('first round spread', () => {
  it('sizes the window by how many checks start: at least 5 s, at most 60 s', () => {
    assert.equal(firstRoundWindowMs(checks(10)), 5_000);
    assert.equal(firstRoundWindowMs(checks(400)), (400 / FIRST_ROUND_RATE_PER_S) * 1000);
    assert.equal(firstRoundWindowMs(checks(100_000)), 60_000);
  });

  it('starts 400 never-run checks at no more than about the rate, each once, all within the window', async (t) => {
    const list = checks(400);
    const starts = await firstStarts(list);
    const busiest = busiestSecond(starts);
    const last = Math.max(...starts.values());
    t.diagnostic(`busiest second: ${busiest} first runs; last first run at ${last} ms`);
    assert.equal(starts.size, 400, 'every check ran in the first round');
    // the phase hash spreads evenly, not perfectly: allow twice the rate in the busiest second
    assert.ok(busiest <= 2 * FIRST_ROUND_RATE_PER_S, `${busiest} first runs in one second`);
    assert.ok(last < firstRoundWindowMs(list), `last first run at ${last} ms`);
  });

  it('never delays a check past its own first slot (short intervals keep their rhythm)', async () => {
    const list = checks(400, 10_000);
    const starts = await firstStarts(list);
    assert.equal(starts.size, 400);
    assert.ok(Math.max(...starts.values()) < 10_000);
  });
});
