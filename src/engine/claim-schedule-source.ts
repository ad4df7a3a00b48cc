/**
 * The shared-schedule source (cluster instances, the serverless checker). Checks are claimed
 * from the store with a lease (`claimDueChecks`); a claim moves the check's next due time one
 * interval on in the same write, so each check runs once per interval across every caller, and
 * the checks of an instance that died are claimed by the others at their next slot.
 *
 * `runRound` is one round (the serverless checker calls it once per invocation, with a
 * deadline). `start` runs rounds in a tick loop (cluster): slots are computed locally from the
 * checks (every instance derives the same phases), so the loop sleeps until the earliest slot —
 * at least `minTickMs` apart (batching claims), at most `maxTickMs` (clock skew between
 * instances, checks added by a newer config elsewhere), plus a little random jitter so that
 * claims spread over the instances. Each claimed check runs and commits on its own (the state
 * authority groups the commits that meet), so a slow check holds up nothing but its own place;
 * the concurrency bound counts every claimed check still in flight.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { ScheduleEntry, Store } from '../storage/store.ts';
import type { Clock } from '../kernel/clock.ts';
import { nextSlot, phaseOf } from '../scheduler/scheduler.ts';
import { runsLocally } from '../pipeline/quorum.ts';
import type { ReportError, RunChecks, ScheduleSource } from './schedule-source.ts';

export interface ClaimScheduleSourceDeps {
  /** Every configured check; those this process runs (regions include `local`) are scheduled. */
  checks: readonly Check[];
  store: Pick<Store, 'syncSchedule' | 'claimDueChecks'>;
  clock: Clock;
  /** Identifies this caller in leases (instance id, Lambda container id). */
  owner: string;
  concurrency: number;
  /** Delay between a check's slot and its claim. */
  onLag?(lagMs: number): void;
  /** Shortest gap between two claims, ms (default 250). */
  minTickMs?: number;
  /** Longest sleep between two claims, ms (default 1000). */
  maxTickMs?: number;
  /**
   * Up to this much random delay is added to each wake-up, ms (default 50). Every instance
   * computes the same slots; without it the instance whose clock reads a millisecond ahead
   * wakes first and takes every claim, with it claims spread over the instances.
   */
  wakeJitterMs?: number;
  /** Source of the jitter, 0 ≤ x < 1 (default Math.random). */
  random?(): number;
}

interface RoundOptions {
  /** Epoch ms by which every started check must have finished. */
  deadline?: number;
}

export interface ClaimScheduleSource extends ScheduleSource {
  /** Makes the stored schedule match the checks (new ones first due at their next phase slot). */
  sync(): Promise<void>;
  /** Claims what is due now, runs it through `run` and returns the (published) results. */
  runRound(run: RunChecks, options?: RoundOptions): Promise<CheckResult[]>;
}

export function createClaimScheduleSource(deps: ClaimScheduleSourceDeps): ClaimScheduleSource {
  const { clock, store } = deps;
  const minTickMs = deps.minTickMs ?? 250;
  const maxTickMs = deps.maxTickMs ?? 1000;
  const wakeJitterMs = deps.wakeJitterMs ?? 50;
  const random = deps.random ?? Math.random;
  // only checks run here: a stale schedule row of an agents-only check is claimed but skipped
  const local = deps.checks.filter(runsLocally);
  const byName = new Map(local.map((check) => [check.name, check]));
  const phases = local.map((check) => ({ check, phase: phaseOf(check.name, check.intervalMs) }));
  // agents-only checks are never claimed here: their intervals must not shorten this lease
  const leaseMs = claimLeaseMs(local);
  const rounds = new Set<Promise<void>>();
  let running = 0;
  /** The last claim was cut short by the free places: more may be due now. */
  let behind = false;
  let timer: unknown;
  let stopped = true;

  /** Claims up to `limit` due checks of this process. */
  async function claimDue(limit: number): Promise<Check[]> {
    const now = clock.now();
    const claimed = await store.claimDueChecks(deps.owner, now, leaseMs, limit);
    // a claim that filled every free place may have left due checks behind
    behind = claimed.length >= limit;
    for (const claim of claimed) deps.onLag?.(Math.max(0, now - claim.dueAt));
    return claimed.map((claim) => byName.get(claim.check)).filter((check): check is Check => !!check);
  }

  async function runRound(run: RunChecks, options: RoundOptions = {}): Promise<CheckResult[]> {
    const due = await claimDue(10_000);
    if (!due.length) return [];
    return run(due, { deadline: options.deadline, concurrency: deps.concurrency });
  }

  /**
   * One tick of the loop: claims what is due, up to the free places, and runs each check on its
   * own, so a check gives its place back when its result is committed. (Run as one batch, every
   * place of a round stayed taken until its slowest check ended: with 5% of targets answering
   * in 1.5 s, nearly every round held its places that long and an instance fell minutes behind.)
   * `claimed` is called once the claim has settled: the next tick is armed from there, so claims
   * never overlap and the next one knows whether this one left due checks behind.
   */
  function tickRound(run: RunChecks, report: ReportError, reportOnce: ReportError, claimed: () => void): Promise<void> {
    const limit = deps.concurrency - running;
    running += limit;
    return claimDue(limit).then(
      (due) => {
        running -= limit - due.length;
        claimed();
        const runs = due.map((check) =>
          run([check])
            .then(() => {}, (error: unknown) => reportOnce(error, { check: check.name, stage: 'commit' }))
            .finally(() => void (running -= 1)),
        );
        return Promise.all(runs).then(() => {});
      },
      (error: unknown) => {
        running -= limit;
        // a failing store is retried at the tick pace, not every 25 ms (nor logged 40 times a second)
        behind = false;
        claimed();
        report(error, { stage: 'claim round' });
      },
    );
  }

  /** When the next tick should happen: the earliest slot after now, within the tick bounds. */
  function nextWake(now: number): number {
    let earliest = now + maxTickMs;
    for (const { check, phase } of phases) earliest = Math.min(earliest, nextSlot(now + 1, check.intervalMs, phase));
    return Math.max(earliest, now + minTickMs) - now + Math.floor(random() * wakeJitterMs);
  }

  const sync = () => store.syncSchedule(scheduleEntries(deps.checks, clock.now()));

  return {
    sync,
    runRound,
    async start(run: RunChecks, report: ReportError) {
      // the runs that committed together fail together, with one error: it is logged once
      const reported = new WeakSet<object>();
      const reportOnce: ReportError = (error, context) => {
        if (typeof error === 'object' && error !== null) {
          if (reported.has(error)) return;
          reported.add(error);
        }
        report(error, context);
      };
      const tick = () => {
        timer = undefined;
        if (stopped) return;
        if (running >= deps.concurrency) return arm();
        const round = tickRound(run, report, reportOnce, arm).finally(() => rounds.delete(round));
        rounds.add(round);
      };
      const arm = () => {
        // behind, the next claim comes as soon as places are likely free again, not at the next
        // tick: at 200 places and 4 ticks a second an instance could not claim more than ~800
        // checks a second, fewer with slow targets holding places
        if (!stopped) timer = clock.setTimeout(tick, behind ? BEHIND_TICK_MS : nextWake(clock.now()));
      };
      await sync();
      stopped = false;
      arm();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await Promise.all([...rounds]);
    },
  };
}

/** Gap between claims while the last one filled every free place (checks are still due). */
const BEHIND_TICK_MS = 25;

/**
 * Schedule entries for the checks this process runs (regions include `local`; the others are
 * run by agents), each first due at its next phase slot.
 */
function scheduleEntries(checks: readonly Check[], now: number): ScheduleEntry[] {
  return checks.filter(runsLocally).map((check) => ({
    check: check.name,
    intervalMs: check.intervalMs,
    nextDueAt: nextSlot(now, check.intervalMs, phaseOf(check.name, check.intervalMs)),
  }));
}

/**
 * How long a claim holds a check. The lease exists so a check's next slot is not started while
 * this run may still be going; it is capped below the shortest interval so that a dead
 * instance's checks are claimable again at their very next slot (the claim has already moved
 * `nextDueAt` one interval on).
 */
export function claimLeaseMs(checks: readonly Check[]): number {
  if (!checks.length) return 5_000;
  const longestRun = Math.max(...checks.map((check) => check.timeoutMs)) + 1_000;
  const shortestInterval = Math.min(...checks.map((check) => check.intervalMs));
  return Math.max(1, Math.min(longestRun, Math.floor(shortestInterval * 0.9)));
}
