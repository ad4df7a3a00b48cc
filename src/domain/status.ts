/**
 * Check status as the page shows it, and the per-check state the store keeps between results.
 * @module
 */
import type { CheckResult, Failure } from './result.ts';

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
  /** The most recent result, whatever its status. */
  lastResult?: CheckResult;
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
