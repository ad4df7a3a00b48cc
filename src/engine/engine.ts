/**
 * The engine: the one place checks are run, confirmed and published, whatever the mode.
 *
 *   schedule source ─► run (runCheck, deps built once) ─► state authority (confirm + publish) ─► bus
 *
 * A mode is the choice of its two parts — a schedule source (in-process heap, or claims from
 * the store; none for `upstate check`) and a state authority (memory, the store, or forwarding
 * for agents) — plus its own wiring (store writer, web app, buffer). The engine also owns the
 * stale-region sweep (regions go stale by time alone) and logs every run that fails, with its
 * check and reason, in every mode. It takes its slices (checks, concurrency, region), never the
 * config file's types.
 * @module
 */
import { checkIndex } from '../domain/check-index.ts';
import { setMaxListeners } from 'node:events';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { HeartbeatPing } from '../storage/store.ts';
import type { ProbeRunners } from '../probes/probe.ts';
import type { Clock } from '../kernel/clock.ts';
import { mapLimit } from '../kernel/map-limit.ts';
import { runCheck } from '../pipeline/run-check.ts';
import { createLocalProblemLog, isLocalResult } from '../pipeline/local-failure.ts';
import { isMultiRegion } from '../pipeline/quorum.ts';
import { createRunDeps } from './run-deps.ts';
import { createKeepAlivePool } from '../probes/keep-alive-pool.ts';
import type { StateAuthority } from './state-authority.ts';
import type { ReportError, RunChecks, RunOptions, ScheduleSource } from './schedule-source.ts';

/** How often multi-region checks are re-examined for regions that went stale without a result. */
export const STALE_SWEEP_MS = 5_000;

/** What the engine logs through (pino, the Lambda logger, the agent's logger, a CLI line writer). */
export interface EngineLogger {
  error(details: object, message: string): void;
}

export interface EngineDeps {
  /** Every check this engine knows (runs, ingests, sweeps); the schedule source picks what it runs. */
  checks: readonly Check[];
  /** Most runs in flight for a `run` call without its own bound. */
  concurrency: number;
  /** Region stamped on results (agents); absent for the server's own runs. */
  region?: string;
  probes: ProbeRunners;
  clock: Clock;
  lastHeartbeat(check: string): Promise<HeartbeatPing | undefined>;
  inMaintenance?(check: string, at: number): boolean;
  authority: StateAuthority;
  /** Absent: nothing runs by itself, callers use `run` (`upstate check`, the serverless checker). */
  schedule?: ScheduleSource;
  logger: EngineLogger;
}

export interface Engine {
  /** Loads states, starts the schedule source and the stale-region sweep. */
  start(): Promise<void>;
  /** Stops scheduling, lets running checks finish (or time out), publishes every result. */
  stop(): Promise<void>;
  /**
   * Runs `checks` once now, confirms and publishes the results; returns them in order. A run
   * that throws is logged and yields no result; a check that cannot finish before `deadline` is
   * not started and recorded as a timeout (`isNotStarted`).
   */
  run(checks: readonly Check[], options?: RunOptions): Promise<CheckResult[]>;
  /**
   * Takes results produced elsewhere (remote probe agents) through the same confirmation and
   * publishing as local ones. Results of unknown checks are skipped; returns how many were taken,
   * once they are published.
   */
  ingest(results: readonly CheckResult[]): Promise<number>;
  /** The latest state this process knows of a check. */
  stateOf(name: string): CheckState | undefined;
  /**
   * Swaps in a new check list (a config reload) without stopping: runs in flight finish with the
   * check as it was and are published; the old schedule source takes no new slot and the new one
   * starts at once (kept checks keep their phase, new ones start, removed ones stop). While the
   * old source still has runs in flight, the new one skips a check that is still running, so a
   * check never overlaps itself across the swap. Throws, changing nothing, when a condition of
   * `next.checks` does not compile.
   */
  reload(next: EngineReload): Promise<void>;
}

/** What a config reload hands the engine. */
interface EngineReload {
  checks: readonly Check[];
  concurrency: number;
  /** The schedule source for `checks` (absent: nothing runs by itself). */
  schedule?: ScheduleSource;
}

export function createEngine(deps: EngineDeps): Engine {
  const { clock, authority, logger } = deps;
  const shutdown = new AbortController();
  // every run in flight listens on this one signal (up to `concurrency`, default 200): not a leak
  setMaxListeners(0, shutdown.signal);
  // one pool for the engine's life: runs of checks sharing an origin reuse an open connection
  const keepAlive = createKeepAlivePool();
  const runDepsFor = (checks: readonly Check[]) =>
    createRunDeps({
      checks,
      probes: deps.probes,
      clock,
      lastHeartbeat: deps.lastHeartbeat,
      inMaintenance: deps.inMaintenance,
      shutdown: shutdown.signal,
      region: deps.region,
      keepAlive,
    });
  // replaced as a whole by `reload`; a run in flight keeps the deps (conditions) it started with
  let runDeps = runDepsFor(deps.checks);
  let checks = deps.checks;
  // only `ingest` (agents' results) looks checks up by name: on the config's shared check index
  // (src/domain/check-index.ts), which the evaluator and the page already hold
  let multiRegion = deps.checks.filter(isMultiRegion);
  let concurrency = deps.concurrency;
  let schedule = deps.schedule;
  /** Stops of schedule sources replaced by `reload`, until their last run is committed. */
  const retiring = new Set<Promise<void>>();
  /** Runs in flight by check name (to keep a check from overlapping itself across a reload). */
  const running = new Map<string, number>();
  let sweepTimer: unknown;
  let sweeping: Promise<void> | undefined;
  let started = false;

  const logLocal = createLocalProblemLog((details, message) => logger.error(details, message), () => clock.now());
  const report: ReportError = (error, context) =>
    logger.error({ ...context, err: error, reason: reasonOf(error) }, `${context.stage} failed`);

  /** One run; a throw (a bug: a failing target is data) is logged with the check and dropped. */
  async function runOne(check: Check, deadline: number | undefined): Promise<CheckResult | undefined> {
    const remaining = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - clock.now();
    if (remaining < check.timeoutMs) return notStarted(check, clock.now(), remaining);
    running.set(check.name, (running.get(check.name) ?? 0) + 1);
    try {
      const result = await runCheck(check, runDeps);
      if (!isLocalResult(result)) return result;
      // this host failed, not the target: log it, but never count it toward down, alerts or uptime
      logLocal(check.name, result.failure?.message ?? '');
      return undefined;
    } catch (error) {
      logger.error({ check: check.name, err: error, reason: reasonOf(error) }, 'check run failed');
      return undefined;
    } finally {
      const left = running.get(check.name)! - 1;
      if (left) running.set(check.name, left);
      else running.delete(check.name);
    }
  }

  async function run(checks: readonly Check[], options: RunOptions = {}): Promise<CheckResult[]> {
    const outcomes = checks.length === 1
      ? [await runOne(checks[0], options.deadline)]
      : await mapLimit(checks, options.concurrency ?? concurrency, (check) => runOne(check, options.deadline));
    const ran = checks.filter((_, i) => outcomes[i] !== undefined);
    const results = outcomes.filter((result): result is CheckResult => result !== undefined);
    await authority.commit(ran, results);
    return results;
  }

  /**
   * What schedule sources run through: `run`, except that right after a reload (while a replaced
   * source still has runs in flight) a check already running is skipped for this slot.
   */
  const runScheduled: RunChecks = (checks, options) =>
    run(retiring.size ? checks.filter((check) => !running.has(check.name)) : checks, options);

  function armSweep(): void {
    // an authority without states (an agent's) has nothing to sweep: no timer at all
    if (started && multiRegion.length && authority.sweepStale && sweepTimer === undefined && !sweeping) {
      sweepTimer = clock.setTimeout(sweep, STALE_SWEEP_MS);
    }
  }

  /** Regions go stale by time alone; when no result arrives to recompute a check, this does. */
  function sweep(): void {
    sweepTimer = undefined;
    if (!started || !authority.sweepStale || !multiRegion.length) return;
    sweeping = authority
      .sweepStale(multiRegion, clock.now())
      .catch((error: unknown) => report(error, { stage: 'stale-region sweep' }))
      .finally(() => {
        sweeping = undefined;
        armSweep();
      });
  }

  return {
    async start() {
      await authority.start();
      started = true;
      await schedule?.start(runScheduled, report);
      armSweep();
    },
    async stop() {
      started = false;
      if (sweepTimer !== undefined) clock.clearTimeout(sweepTimer);
      sweepTimer = undefined;
      await schedule?.stop();
      await Promise.all([...retiring]);
      await sweeping;
      await authority.stop();
      shutdown.abort();
      keepAlive.close();
    },
    run,
    async ingest(results) {
      const index = checkIndex(checks);
      const taken = results.filter((result) => index.has(result.check));
      if (!taken.length) return 0;
      await authority.commit(taken.map((result) => checks[index.get(result.check)!]), taken);
      // the agent's batch is acknowledged only once it has been published (and so written)
      await authority.flush();
      return taken.length;
    },
    stateOf: (name) => authority.stateOf(name),
    async reload(next) {
      // built first: a condition that does not compile throws before anything changed
      const nextDeps = runDepsFor(next.checks);
      runDeps = nextDeps;
      checks = next.checks;
      multiRegion = next.checks.filter(isMultiRegion);
      concurrency = next.concurrency;
      const previous = schedule;
      schedule = next.schedule;
      if (!started) return;
      if (previous) {
        // stop() takes no new slot at once and resolves when its runs are committed; not awaited,
        // so a slow check in flight never holds up the new schedule
        const stopping: Promise<void> = previous
          .stop()
          .catch((error: unknown) => report(error, { stage: 'stop replaced schedule' }))
          .finally(() => retiring.delete(stopping));
        retiring.add(stopping);
      }
      await schedule?.start(runScheduled, report);
      armSweep();
    },
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/** True for a result recorded because its check could not start before the run's deadline. */
export function isNotStarted(result: CheckResult): boolean {
  return result.details?.notStarted === true;
}
