/**
 * Check status as the page shows it, and the per-check state the store keeps between results.
 * @module
 */
import type { CheckResult, Failure } from './result.ts';

/**
 * The part of a check's latest result its state keeps: what the page, the alert rules on states
 * and the cluster's page relay read. Probe timings and details stay with the stored result row
 * (the recent-results API reads them there): kept in every state they were ~170 of the ~230
 * bytes a state's last result held per check in memory, and written again with every state row.
 */
export type LastResult = Pick<CheckResult, 'check' | 'at' | 'status' | 'latencyMs' | 'statusCode' | 'failure' | 'region' | 'inMaintenance'>;

/** `result` as a state keeps it (see `LastResult`): one literal per common shape, so no field overflows. */
export function lastResultOf(result: CheckResult): LastResult {
  const { check, at, status, latencyMs, statusCode, failure } = result;
  let kept: LastResult;
  if (failure) kept = statusCode === undefined ? { check, at, status, latencyMs, failure } : { check, at, status, latencyMs, statusCode, failure };
  else kept = statusCode === undefined ? { check, at, status, latencyMs } : { check, at, status, latencyMs, statusCode };
  // multi-region and maintenance results are the rare shapes
  if (result.region !== undefined) kept.region = result.region;
  if (result.inMaintenance !== undefined) kept.inMaintenance = result.inMaintenance;
  return kept;
}

/**
 * The confirmed status of a check.
 * - `unknown`: no result yet;
 * - `maintenance`: inside a maintenance window (uptime excludes it, alerts are silenced).
 */
export type CheckStatus = 'up' | 'degraded' | 'down' | 'unknown' | 'maintenance';

/** What the store remembers about a check between results (the "current status" row). */
export interface CheckState {
  check: string;
  /** Confirmed status after the confirmation rule (downAfter/upAfter). */
  status: CheckStatus;
  /** When `status` last changed, epoch ms. */
  since: number;
  /** The most recent result, whatever its status (without probe timings and details: `LastResult`). */
  lastResult?: LastResult;
  /** Consecutive results that disagreed with `status` (used for confirmation). */
  streak: number;
  /** The most recent failure, kept after the check recovers so the page can say what last went wrong. */
  lastFailure?: Failure & { at: number };
  /**
   * Multi-region checks only: the latest confirmed status per region, from which `status` is
   * derived by quorum. A region whose reports stopped is `stale`, never counted as down.
   */
  regions?: Record<string, RegionStatus>;
}

/** One region's view of a multi-region check. */
export interface RegionStatus {
  status: CheckStatus | 'stale';
  /** Time of the region's latest result. */
  at: number;
  latencyMs?: number;
  failure?: { class: string; message: string };
}

/** Uptime over a window: counts of results, of which `ok` were up or degraded. */
interface UptimeCounts {
  total: number;
  ok: number;
}
