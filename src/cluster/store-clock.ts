/**
 * The clock of a cluster instance: its own clock corrected by its measured offset to the
 * database's (`readClock`, PostgreSQL's `clock_timestamp()`). Leases, claims, result times and
 * staleness all compare times written by different instances; with each instance's own wall
 * clock, one running 8 s fast claimed most checks and wrote regions as stale 8 s early. With
 * this clock every instance reads the same time, off by at most half a round trip.
 *
 * The offset is measured at `sync` (before the engine starts) and every `resyncMs` after: three
 * samples, the one with the shortest round trip wins (its midpoint is the best estimate).
 * @module
 */
import { offsetClock, type Clock } from '../kernel/clock.ts';

export interface StoreClockDeps {
  /** The instance's own clock (timers stay its own: they are relative). */
  base: Clock;
  /** The database's time now, epoch ms. */
  readClock(): Promise<number>;
  /** Told every measured offset (database − own clock, ms); the skew reporter warns and sets the gauge. */
  onOffset?(offsetMs: number): void;
  /** A re-measurement failed (the previous offset is kept). */
  onError?(error: unknown): void;
  /** How often the offset is measured again, ms (default 30 s). */
  resyncMs?: number;
}

export interface StoreClock extends Clock {
  /** The offset in use (database − own clock, ms). */
  offsetMs(): number;
  /** Measures the offset now; resolves with it. */
  sync(): Promise<number>;
  /** Measures once, then again every `resyncMs` until `stop`. */
  start(): Promise<void>;
  stop(): void;
}

const SAMPLES = 3;

export function createStoreClock(deps: StoreClockDeps): StoreClock {
  const { base } = deps;
  const resyncMs = deps.resyncMs ?? 30_000;
  let offset = 0;
  let timer: unknown;
  let stopped = true;
  const clock = offsetClock(base, () => offset);

  async function sync(): Promise<number> {
    let best: { rtt: number; offset: number } | undefined;
    for (let i = 0; i < SAMPLES; i++) {
      const sent = base.now();
      const storeTime = await deps.readClock();
      const received = base.now();
      const sample = { rtt: received - sent, offset: storeTime - (sent + received) / 2 };
      if (!best || sample.rtt < best.rtt) best = sample;
    }
    offset = Math.round(best!.offset);
    deps.onOffset?.(offset);
    return offset;
  }

  const arm = () => {
    if (stopped) return;
    timer = base.setTimeout(() => {
      sync().catch((error: unknown) => deps.onError?.(error)).finally(arm);
    }, resyncMs);
  };

  return {
    ...clock,
    offsetMs: () => offset,
    sync,
    async start() {
      await sync();
      stopped = false;
      arm();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) base.clearTimeout(timer);
      timer = undefined;
    },
  };
}
