/**
 * `runDueChecks`: one round of the shared schedule, for runtimes without a long-lived in-process
 * scheduler — the serverless checker (once a minute) and cluster instances (every tick). Checks
 * are claimed from the store so each runs once per interval across all callers; each claimed
 * check is run, confirmed against the stored state and published as one batch.
 *
 * A check that cannot finish before `deadline` (e.g. the Lambda's remaining time minus a margin)
 * is not started: it is recorded as a timeout so the run is visible rather than silently lost.
 * @module
 */
import type { UpstateConfig } from '../config/types.ts';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { ScheduleEntry, Store } from '../storage/store.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import { compileCondition, type CompiledCondition } from '../conditions/compile-condition.ts';
import { nextSlot, phaseOf } from '../scheduler/scheduler.ts';
import { runCheck } from './run-check.ts';
import { confirmResult, confirmationDepth, regionOf, runsLocally } from './quorum.ts';
import { mapLimit } from '../kernel/map-limit.ts';

export interface DueCheckDeps {
  config: UpstateConfig;
  store: Store;
  bus: ResultBus;
  probes: ProbeRegistry;
  now(): number;
  /** Identifies this caller in leases (instance id, Lambda request id). */
  owner: string;
  inMaintenance?(check: string, at: number): boolean;
  region?: string;
  /**
   * Runs the read-confirm-publish step exclusively with other writers of states in this process
   * (e.g. agent ingest), so neither overwrites the other with a state it read before.
   */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
  /** Called per claimed check with how late the claim came after its slot (scheduler lag). */
  onLag?(lagMs: number): void;
}

export interface DueCheckOptions {
  /** Epoch ms by which every started check must have finished. */
  deadline?: number;
  /** Most checks claimed in this round. */
  limit?: number;
  concurrency?: number;
  /** Told how many checks this round claimed, before they run (callers bound work in flight). */
  onClaimed?(count: number): void;
}

/**
 * Schedule entries for the configured checks this instance runs (regions include `local`; the
 * others are run by agents), each first due at its next phase slot.
 */
export function scheduleEntries(checks: readonly Check[], now: number): ScheduleEntry[] {
  return checks.filter(runsLocally).map((check) => ({
    check: check.name,
    intervalMs: check.intervalMs,
    nextDueAt: nextSlot(now, check.intervalMs, phaseOf(check.name, check.intervalMs)),
  }));
}

/** Compiles every check's conditions once (config loading has already validated them). */
export function compileAllConditions(checks: readonly Check[]): Map<string, CompiledCondition[]> {
  return new Map(
    checks.map((check) => [
      check.name,
      check.conditions.map((text) => {
        const compiled = compileCondition(text);
        if (!compiled.ok) throw new Error(`condition "${text}" does not compile: ${compiled.error.message}`);
        return compiled.condition;
      }),
    ]),
  );
}

/** Creates the round runner; returns the results of each round (already published). */
export function createDueCheckRunner(deps: DueCheckDeps) {
  // only checks run here: a stale schedule row of an agents-only check is claimed but skipped
  const byName = new Map(deps.config.checks.filter(runsLocally).map((check) => [check.name, check]));
  const conditions = compileAllConditions(deps.config.checks);
  const runDeps = {
    probes: deps.probes,
    now: deps.now,
    conditionsOf: (check: Check) => conditions.get(check.name) ?? [],
    lastHeartbeat: (name: string) => deps.store.readLastHeartbeat(name),
    inMaintenance: deps.inMaintenance,
    region: deps.region,
  };

  const leaseMs = claimLeaseMs(deps.config.checks);

  return async function runDueChecks(options: DueCheckOptions = {}): Promise<CheckResult[]> {
    const now = deps.now();
    const claimed = await deps.store.claimDueChecks(deps.owner, now, leaseMs, options.limit ?? 10_000);
    for (const claim of claimed) deps.onLag?.(Math.max(0, now - claim.dueAt));
    const due = claimed.map((claim) => byName.get(claim.check)).filter((check): check is Check => !!check);
    options.onClaimed?.(due.length);
    if (!due.length) return [];

    const results = await mapLimit(due, options.concurrency ?? deps.config.scheduler.concurrency, async (check) => {
      const remaining = options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - deps.now();
      if (remaining < check.timeoutMs) return notStarted(check, deps.now(), remaining);
      return runCheck(check, runDeps);
    });

    // read after the runs, not before: other writers (agents' regions, other instances) may have
    // stored newer states meanwhile, and confirmation must build on those
    const commit = async () => {
      const states = new Map((await deps.store.readStates()).map((state) => [state.check, state]));
      const newStates = await confirmAgainstStore(deps.store, due, states, results, deps.now());
      await deps.bus.publish({ results, states: newStates });
    };
    await (deps.exclusive ? deps.exclusive(commit) : commit());
    return results;
  };
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

/**
 * Confirms each result against the stored state (another instance or region may have written
 * it) and the check's stored recent results; returns the new states, in order. Results of one
 * check are applied in order, each seeing the state the previous one produced.
 */
export async function confirmAgainstStore(
  store: Store,
  checks: readonly Check[],
  states: Map<string, CheckState>,
  results: readonly CheckResult[],
  now: number,
): Promise<CheckState[]> {
  const recentByCheck = new Map<string, Pick<CheckResult, 'status' | 'region'>[]>();
  const out: CheckState[] = [];
  for (const [i, result] of results.entries()) {
    const check = checks[i];
    let recent = recentByCheck.get(check.name);
    if (!recent) {
      recent = await recentResults(store, check);
      recentByCheck.set(check.name, recent);
    }
    const state = confirmResult(check, states.get(check.name), recent, result, now);
    states.set(check.name, state);
    recent.push({ status: result.status, region: regionOf(result) });
    out.push(state);
  }
  return out;
}

/** The stored results confirmation needs, oldest first (enough per region for multi-region checks). */
async function recentResults(store: Store, check: Check): Promise<Pick<CheckResult, 'status' | 'region'>[]> {
  const depth = confirmationDepth(check);
  if (depth <= 0) return [];
  // regions interleave, so read a little more than depth × regions to have `depth` of each
  const rows = await store.readRecentResults(check.name, { limit: depth * check.regions.length + check.regions.length });
  return rows.reverse().map((row) => ({ status: row.status, region: row.region }));
}

function notStarted(check: Check, at: number, remainingMs: number): CheckResult {
  return {
    check: check.name,
    at,
    status: 'down',
    latencyMs: 0,
    failure: {
      class: 'timeout',
      message: `not started: only ${Math.max(0, Math.round(remainingMs))} ms left in this run, timeout is ${check.timeoutMs} ms`,
    },
    details: { notStarted: true },
  };
}

/** True for a result recorded because its check could not start before the round's deadline. */
export function isNotStarted(result: CheckResult): boolean {
  return result.details?.notStarted === true;
}
