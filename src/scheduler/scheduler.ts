/**
 * The in-process scheduler (embedded mode): runs each check once per interval, at a stable
 * phase inside the interval derived from its name — so 1,000 checks spread evenly instead of
 * firing in the same millisecond, and a restart keeps each check's rhythm. A global concurrency
 * limit bounds work in flight; a check never overlaps itself (a run still going when the next
 * slot comes skips that slot).
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { Clock } from '../kernel/clock.ts';
import { MinHeap } from './min-heap.ts';

export interface SchedulerDeps {
  checks: readonly Check[];
  clock: Clock;
  concurrency: number;
  /** Runs one check for the slot `dueAt` (a failing target is data, not a rejection). */
  run(check: Check, dueAt: number): Promise<void>;
  /** Told when `run` rejects (a bug or a failed write): never swallowed silently. */
  onError(error: unknown, check: Check): void;
  /** Called with the delay between a slot and the moment its run started. */
  onLag?(lagMs: number, check: Check): void;
  /** Called when a slot is skipped because the previous run of the same check is still going. */
  onSkip?(check: Check, dueAt: number): void;
  /**
   * Checks that should run once right away instead of waiting for their first slot (e.g. never
   * run before, so the page has something to show). Their first runs are spread over
   * `startupSpreadMs` (default 5 s), then they follow their normal phase.
   */
  runSoon?(check: Check): boolean;
  startupSpreadMs?: number;
  /**
   * A wake-up also starts every check due within this many ms after it (default: per check,
   * `coalesceWindow(intervalMs)`), so checks whose phases fall close together share one timer
   * and one turn of the loop instead of one each; a check runs at most this early, never late for it.
   */
  coalesceMs?: number;
}

/**
 * How far ahead of its slot a check may start to share a wake-up with the checks due before it:
 * 2% of its interval, at least 50 ms and at most 1 s (20 s → 400 ms, 60 s → 1 s). Small
 * installations have few checks per second, so without it each check paid its own timer and
 * loop turn; a fixed fraction of the interval keeps the run-to-run spacing within 2%.
 */
export function coalesceWindow(intervalMs: number): number {
  return Math.min(1_000, Math.max(50, Math.round(intervalMs * 0.02)));
}

export interface Scheduler {
  start(): void;
  /** Stops scheduling new runs and resolves when every run in flight has finished. */
  stop(): Promise<void>;
  readonly running: number;
  readonly queued: number;
}

/** Stable offset of a check inside its interval (FNV-1a of the name). */
export function phaseOf(name: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % intervalMs;
}

/** First slot of `check` at or after `at`. */
export function nextSlot(at: number, intervalMs: number, phase: number): number {
  const base = Math.floor((at - phase) / intervalMs) * intervalMs + phase;
  return base >= at ? base : base + intervalMs;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { clock, concurrency } = deps;
  const fixedWindow = deps.coalesceMs === undefined ? undefined : Math.max(0, deps.coalesceMs);
  const windowOf = (check: Check) => fixedWindow ?? coalesceWindow(check.intervalMs);
  // the widest window of any check: how far ahead a wake-up looks
  let widest = 0;
  const heap = new MinHeap<Check>();
  const phases = new Map<Check, number>();
  const busy = new Set<Check>();
  // FIFO of due runs, dequeued by a head index: Array#shift() copies the whole array once V8 keeps
  // it in large-object space, which made every dequeue O(backlog) — 11% of the monitor's CPU with
  // 100,000 checks behind schedule, so a backlog fed itself.
  let waiting: ({ check: Check; dueAt: number } | undefined)[] = [];
  let head = 0;
  const inFlight = new Set<Promise<void>>();
  let timer: unknown;
  let stopped = true;

  function arm(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const next = heap.peekKey();
    if (stopped || next === undefined) return;
    timer = clock.setTimeout(tick, Math.max(0, next - clock.now()));
  }

  function tick(): void {
    timer = undefined;
    const now = clock.now();
    const horizon = now + widest;
    // due within the widest window but not within their own (shorter intervals): back after the loop
    const notYet: { key: number; value: Check }[] = [];
    for (let key = heap.peekKey(); key !== undefined && key <= horizon; key = heap.peekKey()) {
      // early only into free slots: a saturated scheduler gains nothing from queueing checks
      // ahead of their slot, and a burst the size of a window at 100,000 checks a minute
      // would only lengthen the queue
      if (key > now && inFlight.size + (waiting.length - head) >= concurrency) break;
      const { key: dueAt, value: check } = heap.pop()!;
      if (dueAt > now + windowOf(check)) {
        notYet.push({ key: dueAt, value: check });
        continue;
      }
      // the next slot on the check's phase after both this slot and now (missed slots are not replayed)
      heap.push(nextSlot(Math.max(dueAt, now) + 1, check.intervalMs, phases.get(check)!), check);
      if (busy.has(check)) {
        deps.onSkip?.(check, dueAt);
        continue;
      }
      busy.add(check);
      waiting.push({ check, dueAt });
    }
    for (const { key, value } of notYet) heap.push(key, value);
    drain();
    arm();
  }

  function drain(): void {
    while (!stopped && inFlight.size < concurrency && head < waiting.length) {
      const { check, dueAt } = waiting[head]!;
      waiting[head++] = undefined;
      if (head === waiting.length) {
        waiting = [];
        head = 0;
      } else if (head >= 4096 && head * 2 >= waiting.length) {
        waiting = waiting.slice(head);
        head = 0;
      }
      deps.onLag?.(Math.max(0, clock.now() - dueAt), check);
      const promise = deps
        .run(check, dueAt)
        .catch((error: unknown) => deps.onError(error, check))
        .finally(() => {
          busy.delete(check);
          inFlight.delete(promise);
          drain();
        });
      inFlight.add(promise);
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      const now = clock.now();
      const spread = Math.max(1, deps.startupSpreadMs ?? 5000);
      for (const check of deps.checks) {
        const phase = phaseOf(check.name, check.intervalMs);
        phases.set(check, phase);
        widest = Math.max(widest, windowOf(check));
        const regular = nextSlot(now, check.intervalMs, phase);
        const soon = now + (phase % Math.min(spread, check.intervalMs));
        heap.push(deps.runSoon?.(check) && soon < regular ? soon : regular, check);
      }
      arm();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      heap.clear();
      for (let i = head; i < waiting.length; i++) busy.delete(waiting[i]!.check);
      waiting = [];
      head = 0;
      await Promise.allSettled([...inFlight]);
    },
    get running() {
      return inFlight.size;
    },
    get queued() {
      return waiting.length - head;
    },
  };
}
