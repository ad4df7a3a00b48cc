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
import type { UpstateConfig } from '../config/types.js';
import type { Check } from '../domain/check.js';
import type { CheckResult, ResultStatus } from '../domain/result.js';
import type { CheckState } from '../domain/status.js';
import type { ScheduleEntry, Store } from '../storage/store.js';
import type { ProbeRegistry } from '../probes/registry.js';
import type { ResultBus } from './result-bus.js';
import { compileCondition, type CompiledCondition } from '../conditions/compile-condition.js';
import { nextSlot, phaseOf } from '../scheduler/scheduler.js';
import { runCheck } from './run-check.js';
import { confirmStatus } from './confirm-status.js';
import { mapLimit } from './map-limit.js';

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
}

export interface DueCheckOptions {
  /** Epoch ms by which every started check must have finished. */
  deadline?: number;
  /** Most checks claimed in this round. */
  limit?: number;
  concurrency?: number;
}

/** Schedule entries for the configured checks, each first due at its next phase slot. */
export function scheduleEntries(checks: readonly Check[], now: number): ScheduleEntry[] {
  return checks.map((check) => ({
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
  const byName = new Map(deps.config.checks.map((check) => [check.name, check]));
  const conditions = compileAllConditions(deps.config.checks);
  const runDeps = {
    probes: deps.probes,
    now: deps.now,
    conditionsOf: (check: Check) => conditions.get(check.name) ?? [],
    lastHeartbeat: (name: string) => deps.store.readLastHeartbeat(name),
    inMaintenance: deps.inMaintenance,
    region: deps.region,
  };

  return async function runDueChecks(options: DueCheckOptions = {}): Promise<CheckResult[]> {
    const now = deps.now();
    const longestTimeout = Math.max(0, ...deps.config.checks.map((check) => check.timeoutMs));
    const claimed = await deps.store.claimDueChecks(deps.owner, now, longestTimeout + 5_000, options.limit ?? 10_000);
    const due = claimed.map((claim) => byName.get(claim.check)).filter((check): check is Check => !!check);
    if (!due.length) return [];

    const states = new Map((await deps.store.readStates()).map((state) => [state.check, state]));
    const results = await mapLimit(due, options.concurrency ?? deps.config.scheduler.concurrency, async (check) => {
      const remaining = options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - deps.now();
      if (remaining < check.timeoutMs) return notStarted(check, deps.now(), remaining);
      return runCheck(check, runDeps);
    });

    const newStates: CheckState[] = [];
    for (const [i, result] of results.entries()) {
      const check = due[i];
      const recent = await recentStatuses(deps.store, check);
      const state = confirmStatus(states.get(check.name), recent, result, check.confirm);
      newStates.push(state);
    }
    await deps.bus.publish({ results, states: newStates });
    return results;
  };
}

async function recentStatuses(store: Store, check: Check): Promise<ResultStatus[]> {
  const keep = Math.max(check.confirm.downAfter.of, check.confirm.upAfter);
  if (keep <= 1) return [];
  const rows = await store.readRecentResults(check.name, { limit: keep - 1 });
  return rows.reverse().map((row) => row.status);
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
  };
}
