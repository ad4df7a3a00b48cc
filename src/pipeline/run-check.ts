/**
 * Runs one check once: probe → conditions → per-result status. The probe gets an AbortSignal
 * that fires at the check's timeout, and the run is also raced against a hard deadline, so even
 * a probe that ignores its signal cannot hold a check past timeout + grace.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult, ProbeOutcome, ResultStatus, Timings } from '../domain/result.ts';
import type { HeartbeatPing } from '../storage/store.ts';
import type { ProbeRunners } from '../probes/probe.ts';
import type { CompiledCondition } from '../conditions/compile-condition.ts';
import { evaluateConditions } from '../conditions/evaluate-conditions.ts';
import { withLocalClass } from './local-failure.ts';
import { unlessStarved } from './loop-starvation.ts';
import { classOfCode, errorCode } from '../probes/tcp/classify-error.ts';
import type { KeepAlivePool } from '../probes/keep-alive-pool.ts';

/** Extra time a probe gets after its signal fires before the runner gives up on it. */
const ABORT_GRACE_MS = 250;

export interface RunCheckDeps {
  probes: ProbeRunners;
  now(): number;
  /** Compiled conditions per check name (compiled once at start-up). */
  conditionsOf(check: Check): readonly CompiledCondition[];
  lastHeartbeat(check: string): Promise<HeartbeatPing | undefined>;
  /** Whether the check is inside a maintenance window at `at`. */
  inMaintenance?(check: string, at: number): boolean;
  /** Aborts every run (shutdown). Required: every mode must be able to stop its runs. */
  shutdown: AbortSignal;
  /** Region stamped on results (agents); `undefined` for the server's own runs. */
  region: string | undefined;
  /** Idle connections the probes may reuse across runs (absent: a fresh connection per run). */
  keepAlive?: KeepAlivePool;
}

export async function runCheck(check: Check, deps: RunCheckDeps): Promise<CheckResult> {
  const startedAt = deps.now();
  const outcome = withLocalClass(await probeWithDeadline(check, deps));
  const judged = outcome.ok || outcome.failure?.class === 'status' || outcome.failure?.class === 'body'
    ? applyConditions(check, outcome, deps)
    : outcome;
  const result: CheckResult = {
    check: check.name,
    at: startedAt,
    status: statusOf(check, judged),
    // whole milliseconds: finer is noise for a monitor, and integers pack far tighter in storage
    latencyMs: Math.round(judged.latencyMs),
  };
  if (judged.statusCode !== undefined) result.statusCode = judged.statusCode;
  if (judged.failure) result.failure = judged.failure;
  if (judged.timings) result.timings = roundTimings(judged.timings);
  if (judged.details && Object.keys(judged.details).length) result.details = judged.details;
  if (deps.region) result.region = deps.region;
  if (deps.inMaintenance?.(check.name, startedAt)) result.inMaintenance = true;
  return result;
}

function roundTimings(timings: Timings): Timings {
  const rounded: Timings = { total: Math.round(timings.total) };
  for (const phase of ['dns', 'connect', 'tls', 'firstByte'] as const) {
    const value = timings[phase];
    if (value !== undefined) rounded[phase] = Math.round(value);
  }
  return rounded;
}

function applyConditions(check: Check, outcome: ProbeOutcome, deps: RunCheckDeps): ProbeOutcome {
  const conditions = deps.conditionsOf(check);
  return conditions.length && outcome.ok ? evaluateConditions(conditions, outcome) : outcome;
}

function statusOf(check: Check, outcome: ProbeOutcome): ResultStatus {
  if (!outcome.ok) return 'down';
  if (check.degradedAfterMs !== undefined && outcome.latencyMs > check.degradedAfterMs) return 'degraded';
  return 'up';
}

async function probeWithDeadline(check: Check, deps: RunCheckDeps): Promise<ProbeOutcome> {
  const probe = deps.probes[check.kind];
  const controller = new AbortController();
  const onShutdown = () => controller.abort(new Error('shutting down'));
  deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  const started = performance.now();
  const timeoutMessage = `no answer within ${check.timeoutMs} ms`;
  let timerLateMs: number | undefined;
  const timer = setTimeout(() => {
    // how late this fired is how long the loop was starved around the deadline
    timerLateMs = performance.now() - started - check.timeoutMs;
    controller.abort(new Error(timeoutMessage));
  }, check.timeoutMs);
  let deadline: NodeJS.Timeout | undefined;
  try {
    const hardDeadline = new Promise<ProbeOutcome>((resolve) => {
      deadline = setTimeout(
        () => resolve(failed('timeout', timeoutMessage, performance.now() - started)),
        check.timeoutMs + ABORT_GRACE_MS,
      );
    });
    const run = probe
      .run(check.probe, {
        check: check.name,
        signal: controller.signal,
        timeoutMs: check.timeoutMs,
        now: deps.now,
        lastHeartbeat: () => deps.lastHeartbeat(check.name),
        keepAlive: deps.keepAlive,
      })
      .catch((error: unknown) => {
        // a probe that threw because this host ran out of fds or memory did not fail its target
        const failureClass = classOfCode(errorCode(error)) === 'local' ? 'local' : 'protocol';
        return failed(failureClass, `probe error: ${(error as Error)?.message ?? String(error)}`, performance.now() - started);
      });
    const outcome = await Promise.race([run, hardDeadline]);
    const starvation = () => ({ timerLateMs, elapsedMs: performance.now() - started, deadlineMs: check.timeoutMs + ABORT_GRACE_MS });
    if (controller.signal.aborted && !outcome.ok && outcome.failure?.class !== 'timeout') {
      // the abort caused whatever error the probe saw: report it as the timeout it was
      return unlessStarved({ ...outcome, failure: { class: 'timeout', message: timeoutMessage } }, starvation());
    }
    return unlessStarved(outcome, starvation());
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    deps.shutdown.removeEventListener('abort', onShutdown);
  }
}

function failed(failureClass: 'timeout' | 'protocol' | 'local', message: string, latencyMs: number): ProbeOutcome {
  return { ok: false, latencyMs, timings: { total: latencyMs }, failure: { class: failureClass, message } };
}
