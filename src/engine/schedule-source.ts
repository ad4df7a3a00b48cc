/**
 * The schedule source: the part of the engine that decides *when* checks run. Two kinds exist:
 *
 * - heap (`createHeapScheduleSource`): the in-process scheduler of `src/scheduler/` (embedded
 *   mode, agents);
 * - claims (`createClaimScheduleSource`): due checks claimed with leases from the shared schedule
 *   in the store, so each runs once per interval across all processes (cluster instances, the
 *   serverless checker).
 *
 * `upstate check` needs none: it asks the engine to run every check once.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';

export interface RunOptions {
  /** Epoch ms by which every started check must have finished; later ones are not started. */
  deadline?: number;
  /** Most runs in flight for this call (default: the engine's concurrency). */
  concurrency?: number;
}

/** Runs checks, confirms and publishes their results (the engine's `run`). */
export type RunChecks = (checks: readonly Check[], options?: RunOptions) => Promise<CheckResult[]>;

/** Told of a failure outside a single run (a claim, a commit); the engine logs it. */
export type ReportError = (error: unknown, context: { check?: string; stage: string }) => void;

export interface ScheduleSource {
  /** Starts handing due checks to `run`; failures that `run` rejects with go to `report`. */
  start(run: RunChecks, report: ReportError): Promise<void>;
  /** Stops scheduling and resolves when every run it started has been committed. */
  stop(): Promise<void>;
}
