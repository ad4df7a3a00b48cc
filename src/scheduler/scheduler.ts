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
  const { clock, concurrency, checks } = deps;
  const fixedWindow = deps.coalesceMs === undefined ? undefined : Math.max(0, deps.coalesceMs);
  const windowOf = (check: Check) => fixedWindow ?? coalesceWindow(check.intervalMs);
  // the widest window of any check: how far ahead a wake-up looks
  let widest = 0;
  // Per-check data lives in typed arrays indexed by the check's position in `checks` (about 33
  // bytes per check) instead of a Map of phases, a Set of busy checks and an object per heap and
  // queue entry (~217 bytes per check at 20,000 checks, heap snapshot).
  const n = checks.length;
  const heap = new MinHeap(n);
  const phases = new Float64Array(n);
  /** 1 while a check is queued or running (a check never overlaps itself). */
  const busy = new Uint8Array(n);
  // FIFO ring of due runs: each check is in it at most once (it is busy from queueing to the
  // end of its run), so n slots suffice and nothing is allocated per dequeue.
  const queue = new Int32Array(n);
  const queuedDueAt = new Float64Array(n);
  let head = 0;
  let queued = 0;
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
    const notYet: number[] = [];
    for (let dueAt = heap.peekKey(); dueAt !== undefined && dueAt <= horizon; dueAt = heap.peekKey()) {
      // early only into free slots: a saturated scheduler gains nothing from queueing checks
      // ahead of their slot, and a burst the size of a window at 100,000 checks a minute
      // would only lengthen the queue
      if (dueAt > now && inFlight.size + queued >= concurrency) break;
      const i = heap.peekId();
      const check = checks[i];
      if (dueAt > now + windowOf(check)) {
        notYet.push(heap.pop(), dueAt);
        continue;
      }
      // the next slot on the check's phase after both this slot and now (missed slots are not replayed)
      heap.replaceTopKey(nextSlot(Math.max(dueAt, now) + 1, check.intervalMs, phases[i]));
      if (busy[i]) {
        deps.onSkip?.(check, dueAt);
        continue;
      }
      busy[i] = 1;
      queue[(head + queued) % n] = i;
      queuedDueAt[i] = dueAt;
      queued++;
    }
    for (let k = 0; k < notYet.length; k += 2) heap.push(notYet[k + 1], notYet[k]);
    drain();
    arm();
  }

  function drain(): void {
    while (!stopped && inFlight.size < concurrency && queued) {
      const i = queue[head];
      head = (head + 1) % n;
      queued--;
      const check = checks[i];
      const dueAt = queuedDueAt[i];
      deps.onLag?.(Math.max(0, clock.now() - dueAt), check);
      const promise = deps
        .run(check, dueAt)
        .catch((error: unknown) => deps.onError(error, check))
        .finally(() => {
          busy[i] = 0;
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
      for (let i = 0; i < n; i++) {
        const check = checks[i];
        const phase = phaseOf(check.name, check.intervalMs);
        phases[i] = phase;
        widest = Math.max(widest, windowOf(check));
        const regular = nextSlot(now, check.intervalMs, phase);
        const soon = now + (phase % Math.min(spread, check.intervalMs));
        heap.push(deps.runSoon?.(check) && soon < regular ? soon : regular, i);
      }
      arm();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      heap.clear();
      for (; queued; queued--, head = (head + 1) % n) busy[queue[head]] = 0;
      head = 0;
      await Promise.allSettled([...inFlight]);
    },
    get running() {
      return inFlight.size;
    },
    get queued() {
      return queued;
    },
  };
}
