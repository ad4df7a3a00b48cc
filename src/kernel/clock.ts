/**
 * Time as a dependency: the scheduler, runner and writers take a `Clock`, so tests drive time by
 * hand instead of sleeping.
 * @module
 */

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. Timers are unref'd so a pending timer never keeps a stopping process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A clock that only moves when told to; `advance` fires due timers in time order. */
export function createManualClock(start = 0) {
  let current = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock = {
    now: () => current,
    setTimeout(callback: () => void, ms: number) {
      const id = nextId++;
      timers.set(id, { at: current + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number);
    },
    /** Moves time forward by `ms`, running every timer that falls due on the way (bounded). */
    async advance(ms: number) {
      const target = current + ms;
      for (let guard = 0; guard < 1_000_000; guard++) {
        let nextId: number | undefined;
        let nextAt = Number.POSITIVE_INFINITY;
        for (const [id, timer] of timers) if (timer.at <= target && timer.at < nextAt) [nextId, nextAt] = [id, timer.at];
        if (nextId === undefined) break;
        const timer = timers.get(nextId)!;
        timers.delete(nextId);
        current = Math.max(current, timer.at);
        timer.callback();
        // let promise continuations scheduled by the callback run before the next timer
        await new Promise((resolve) => setImmediate(resolve));
      }
      current = target;
    },
    pending: () => timers.size,
  };
  return clock satisfies Clock;
}
export type ManualClock = ReturnType<typeof createManualClock>;

/**
 * `base` shifted by `offsetMs` (negative: slow). Timers are relative, so they are `base`'s own.
 * Models a host whose wall clock is off (tests of clock skew), and corrects one by a measured
 * offset (the store clock of a cluster instance).
 */
export function offsetClock(base: Clock, offsetMs: number | (() => number)): Clock {
  const offset = typeof offsetMs === 'number' ? () => offsetMs : offsetMs;
  return {
    now: () => base.now() + offset(),
    setTimeout: (callback, ms) => base.setTimeout(callback, ms),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}
