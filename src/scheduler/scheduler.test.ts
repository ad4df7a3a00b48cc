import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coalesceWindow, createScheduler, nextSlot, phaseOf } from './scheduler.ts';
import { createManualClock } from '../kernel/clock.ts';
import type { Check } from '../domain/check.ts';

/** For runs that never reject: a report here is a test failure. */
const unexpected = (error: unknown): never => assert.fail(error as Error);

function check(name: string, intervalMs = 60_000): Check {
  return {
    name,
    intervalMs,
    timeoutMs: 1000,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    conditions: [],
    kind: 'tcp',
    probe: {},
    target: name,
    regions: ['local'],
    quorum: 1,
  };
}

describe('scheduler', () => {
  it('computes slots at a stable phase inside the interval', () => {
    const phase = phaseOf('api', 60_000);
    assert.equal(phaseOf('api', 60_000), phase);
    assert.ok(phase >= 0 && phase < 60_000);
    assert.equal(nextSlot(0, 60_000, 10), 10);
    assert.equal(nextSlot(10, 60_000, 10), 10);
    assert.equal(nextSlot(11, 60_000, 10), 60_010);
  });

  it('runs every check once per interval, spread across the interval', async () => {
    const clock = createManualClock(1_000_000_000_000);
    const checks = Array.from({ length: 1000 }, (_, i) => check(`check-${i}`));
    const runs = new Map<string, number[]>();
    const scheduler = createScheduler({
      checks,
      clock,
      concurrency: 10_000,
      onError: unexpected,
      run: async (c, dueAt) => void runs.set(c.name, [...(runs.get(c.name) ?? []), dueAt]),
    });
    const end = clock.now() + 3 * 60_000;
    scheduler.start();
    await clock.advance(3 * 60_000);
    await scheduler.stop();
    for (const c of checks) {
      // a slot due within a second after the end may already have started (coalescing window)
      const times = (runs.get(c.name) ?? []).filter((dueAt) => dueAt < end);
      assert.equal(times.length, 3, `${c.name} ran ${times.length} times in 3 intervals`);
      assert.equal(times[1] - times[0], 60_000);
    }
    // spread: no single second of the minute holds more than 2% of the checks
    const perSecond = new Map<number, number>();
    for (const times of runs.values()) {
      const second = Math.floor((times[0] % 60_000) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    assert.ok(perSecond.size > 50, `checks fall in only ${perSecond.size} distinct seconds`);
    assert.ok(Math.max(...perSecond.values()) <= 40, `busiest second has ${Math.max(...perSecond.values())} checks`);
  });

  it('runs never-run checks soon after start, then on their phase', async () => {
    const clock = createManualClock(0);
    const runs: [string, number][] = [];
    const scheduler = createScheduler({
      checks: [check('fresh'), check('known')],
      clock,
      concurrency: 10,
      onError: unexpected,
      runSoon: (c) => c.name === 'fresh',
      startupSpreadMs: 5000,
      run: async (c, dueAt) => void runs.push([c.name, dueAt]),
    });
    scheduler.start();
    await clock.advance(5000);
    assert.deepEqual(runs.map(([name]) => name), ['fresh']);
    await clock.advance(120_000);
    await scheduler.stop();
    const fresh = runs.filter(([name]) => name === 'fresh').map(([, at]) => at);
    assert.equal(fresh[2] - fresh[1], 60_000);
    assert.equal(fresh[1] % 60_000, phaseOf('fresh', 60_000), 'after the first run it keeps its phase');
  });

  it('respects the global concurrency limit and never overlaps a check with itself', async () => {
    const clock = createManualClock(0);
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const releases: (() => void)[] = [];
    const checks = Array.from({ length: 5 }, (_, i) => check(`c${i}`, 10_000));
    const scheduler = createScheduler({
      checks,
      clock,
      concurrency: 2,
      onError: unexpected,
      run: (c) =>
        new Promise<void>((resolve) => {
          running++;
          peak = Math.max(peak, running);
          started.push(c.name);
          releases.push(() => {
            running--;
            resolve();
          });
        }),
    });
    let skipped = 0;
    scheduler.start();
    await clock.advance(10_000);
    assert.equal(running, 2);
    assert.equal(scheduler.queued, 3);
    // finishing runs lets queued ones start, never more than 2 at once
    for (let i = 0; i < 20 && releases.length; i++) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(peak, 2);
    assert.equal(new Set(started).size, 5);
    const stopping = scheduler.stop();
    while (releases.length) releases.shift()!();
    await stopping;
    // a check still running at its next slot is skipped, not doubled
    const slow = createScheduler({
      checks: [check('slow', 1000)],
      clock,
      concurrency: 5,
      onError: unexpected,
      run: () => new Promise<void>(() => {}),
      onSkip: () => skipped++,
    });
    slow.start();
    await clock.advance(5000);
    assert.ok(skipped >= 3, `skipped ${skipped}`);
    assert.equal(slow.running, 1);
    // (the slow run never settles, so `slow` is left unstopped: its timers live on the manual clock only)
  });

  it('stop() waits for runs in flight and schedules nothing afterwards', async () => {
    const clock = createManualClock(0);
    let finish!: () => void;
    let runs = 0;
    const scheduler = createScheduler({
      checks: [check('a', 1000)],
      clock,
      concurrency: 1,
      onError: unexpected,
      run: () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    scheduler.start();
    await clock.advance(1000);
    assert.equal(runs, 1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'stop waits for the running check');
    finish();
    await stopping;
    await clock.advance(10_000);
    assert.equal(runs, 1);
    assert.equal(clock.pending(), 0);
  });

  it('reports a run that rejects with its check, and keeps scheduling', async () => {
    const clock = createManualClock(0);
    const reported: [string, string][] = [];
    let runs = 0;
    const scheduler = createScheduler({
      checks: [check('broken', 1000)],
      clock,
      concurrency: 1,
      run: async () => {
        runs++;
        throw new Error('store unavailable');
      },
      onError: (error, c) => reported.push([c.name, (error as Error).message]),
    });
    scheduler.start();
    await clock.advance(3000);
    await scheduler.stop();
    assert.ok(runs >= 2, `ran ${runs} times`);
    assert.equal(reported.length, runs, 'every failed run is reported');
    assert.deepEqual(reported[0], ['broken', 'store unavailable']);
  });

  it('checks due close together share one wake-up, none started more than coalesceMs early', async () => {
    // 500 checks every 20 s: phases about 40 ms apart, so one wake-up each without coalescing
    const wakeUps = async (coalesceMs: number | undefined, windowMs = coalesceMs ?? coalesceWindow(20_000)) => {
      const manual = createManualClock(1_000_000_000_000);
      let wakes = 0;
      const clock = { ...manual, setTimeout: (fn: () => void, ms: number) => manual.setTimeout(() => (wakes++, fn()), ms) };
      const checks = Array.from({ length: 500 }, (_, i) => check(`check-${i}`, 20_000));
      const early: number[] = [];
      const runs = new Map<string, number>();
      const scheduler = createScheduler({
        checks,
        clock,
        concurrency: 10_000,
        coalesceMs,
        onError: unexpected,
        run: async (c, dueAt) => {
          early.push(dueAt - manual.now());
          runs.set(c.name, (runs.get(c.name) ?? 0) + 1);
        },
      });
      scheduler.start();
      // short of the next interval by more than the window, so no check's next slot is taken early
      await manual.advance(20_000 - windowMs - 10);
      await scheduler.stop();
      assert.deepEqual(new Set(runs.values()), new Set([1]), 'no check ran twice');
      assert.ok(runs.size >= 500 * (1 - (windowMs + 10) / 20_000) - 10, `${runs.size} of 500 ran in the interval`);
      assert.ok(Math.max(...early) <= windowMs, `started ${Math.max(...early)} ms early`);
      assert.ok(Math.min(...early) >= 0, 'none late');
      return wakes;
    };
    const apart = await wakeUps(0);
    const shared = await wakeUps(50);
    assert.ok(apart > 450, `without coalescing: ${apart} wake-ups for 500 checks`);
    // consecutive wake-ups are more than 50 ms apart: at most 20 s / 50 ms of them
    assert.ok(shared <= 400, `with a 50 ms window: ${shared} wake-ups for 500 checks`);
    // the default window is 2% of the interval (400 ms at 20 s): at most 20 s / 400 ms wake-ups
    assert.equal(coalesceWindow(20_000), 400);
    const byDefault = await wakeUps(undefined);
    assert.ok(byDefault <= 50, `with the default window: ${byDefault} wake-ups for 500 checks (was ${shared} at 50 ms)`);
  });

  it('sizes the window by each check: a short interval is never started early by a long one sharing its wake-up', async () => {
    assert.deepEqual([1_000, 20_000, 60_000, 3_600_000].map(coalesceWindow), [50, 400, 1_000, 1_000]);
    const manual = createManualClock(1_000_000_000_000);
    const fast = Array.from({ length: 20 }, (_, i) => check(`fast-${i}`, 2_000));
    const slow = Array.from({ length: 200 }, (_, i) => check(`slow-${i}`, 60_000));
    const early = new Map<string, number>();
    const scheduler = createScheduler({
      checks: [...fast, ...slow],
      clock: manual,
      concurrency: 10_000,
      onError: unexpected,
      run: async (c, dueAt) => {
        early.set(c.name, Math.max(early.get(c.name) ?? 0, dueAt - manual.now()));
      },
    });
    scheduler.start();
    for (let i = 0; i < 600; i++) await manual.advance(100);
    await scheduler.stop();
    const worst = (prefix: string) => Math.max(...[...early].filter(([name]) => name.startsWith(prefix)).map(([, ms]) => ms));
    assert.equal(early.size, 220, 'every check ran');
    assert.ok(worst('fast-') <= 50, `a 2 s check started ${worst('fast-')} ms early`);
    assert.ok(worst('slow-') <= 1_000, `a 60 s check started ${worst('slow-')} ms early`);
    assert.ok(worst('slow-') > 50, 'the 60 s checks use their wider window');
  });

  it('starts checks early only into free slots: a saturated scheduler queues none ahead of their slot', async () => {
    const manual = createManualClock(1_000_000_000_000);
    // 2,000 checks a minute (a 1 s window each) and 10 slots, every run held until released
    const checks = Array.from({ length: 2_000 }, (_, i) => check(`busy-${i}`, 60_000));
    const release: (() => void)[] = [];
    let early = 0;
    const scheduler = createScheduler({
      checks,
      clock: manual,
      concurrency: 10,
      onError: unexpected,
      run: (_c, dueAt) => {
        if (dueAt > manual.now()) early++;
        return new Promise<void>((resolve) => release.push(resolve));
      },
    });
    const start = manual.now();
    const slots = checks.map((c) => nextSlot(start, 60_000, phaseOf(c.name, 60_000)));
    scheduler.start();
    // taken from the heap (running + queued) against the checks whose slots have come, after every
    // millisecond for 5 s: at most the 10 free slots filled early at start. A 1 s window taken
    // whole would add the ~33 checks due in the next second after every wake-up
    let worst = 0;
    for (let ms = 0; ms < 5_000; ms += 5) {
      await manual.advance(5);
      const due = slots.filter((slot) => slot <= manual.now()).length;
      worst = Math.max(worst, scheduler.running + scheduler.queued - due);
    }
    assert.equal(scheduler.running, 10);
    assert.ok(worst <= 10, `up to ${worst} checks started or queued ahead of their slot with every slot taken`);
    assert.ok(early <= 10, `${early} runs started ahead of their slot`);
    const stopping = scheduler.stop();
    for (const resolve of release) resolve();
    await stopping;
  });
});
