/**
 * Multi-region checks: each region's results are confirmed on their own (the check's
 * `downAfter`/`upAfter` rule, per region), the latest confirmed status per region is kept in
 * `CheckState.regions`, and the check's status is derived from the regions by quorum:
 *
 * - a region whose latest result is older than `STALE_AFTER_INTERVALS` intervals is `stale`: it
 *   is shown, but never counted (a dead agent must not take a check down, nor keep it down);
 * - the check is `down` only when at least `quorum` fresh regions are confirmed down;
 * - otherwise it is `maintenance` when every fresh region is, `degraded` when a fresh region is
 *   degraded, else `up`; with no fresh region at all it is `unknown`.
 *
 * Checks whose regions are just `['local']` never come here: `confirmResult` hands them to the
 * single-region `confirmStatus` unchanged. Pure.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import { lastResultOf, type CheckState, type CheckStatus, type LastResult, type RegionStatus } from '../domain/status.ts';
import { confirmStatus } from './confirm-status.ts';

/**
 * A region with no result for more than this many intervals is stale. Three, not two: agents
 * push in batches (up to a few seconds late) and one lost run must not flip a region to stale.
 */
export const STALE_AFTER_INTERVALS = 3;

/** The region that produced a result (results of the instance itself carry none: `local`). */
export function regionOf(result: Pick<CheckResult, 'region'>): string {
  return result.region ?? 'local';
}

/** True for checks run in more than the instance's own region (these use the quorum path). */
export function isMultiRegion(check: Pick<Check, 'regions'>): boolean {
  return !(check.regions.length === 1 && check.regions[0] === 'local');
}

/** True when this instance itself runs the check (its regions include `local`); agents run the rest. */
export function runsLocally(check: Pick<Check, 'regions'>): boolean {
  return check.regions.includes('local');
}

/** How many earlier results confirmation needs per region (0 when a single result decides). */
function confirmationDepth(check: Pick<Check, 'confirm'>): number {
  return Math.max(check.confirm.downAfter.of, check.confirm.upAfter) - 1;
}

/**
 * How many recent results, of any region, confirmation is given: `confirmationDepth` per region
 * plus one each, since regions interleave; 0 when a single result decides.
 */
export function historyLength(check: Pick<Check, 'confirm' | 'regions'>): number {
  const depth = confirmationDepth(check);
  return depth > 0 ? (depth + 1) * check.regions.length : 0;
}

/** Whether `region` counts as stale at `now`. */
function isStale(region: Pick<RegionStatus, 'at'>, intervalMs: number, now: number): boolean {
  return now - region.at > STALE_AFTER_INTERVALS * intervalMs;
}

/** The regions as they stand at `now`: configured regions only, stale ones marked `stale`. */
export function freshRegions(
  regions: Readonly<Record<string, RegionStatus>> | undefined,
  check: Pick<Check, 'regions' | 'intervalMs'>,
  now: number,
): Record<string, RegionStatus> {
  const out: Record<string, RegionStatus> = {};
  for (const name of check.regions) {
    const region = regions?.[name];
    if (!region) continue;
    out[name] = isStale(region, check.intervalMs, now) ? { ...region, status: 'stale' } : region;
  }
  return out;
}

/** The check's status from its regions' statuses (already marked stale where they are). */
export function quorumStatus(regions: Readonly<Record<string, RegionStatus>>, quorum: number): CheckStatus {
  const fresh = Object.values(regions)
    .map((region) => region.status)
    .filter((status): status is CheckStatus => status !== 'stale' && status !== 'unknown');
  if (!fresh.length) return 'unknown';
  if (fresh.filter((status) => status === 'down').length >= quorum) return 'down';
  if (fresh.every((status) => status === 'maintenance')) return 'maintenance';
  if (fresh.includes('degraded')) return 'degraded';
  return 'up';
}

/**
 * The state after `result`. `recent` holds the check's earlier results, newest last, of any
 * region (at least `confirmationDepth` per region when available); `now` decides staleness.
 * A result older than its region's latest (a retried agent batch) leaves the state as it was.
 */
export function confirmResult(
  check: Pick<Check, 'regions' | 'quorum' | 'intervalMs' | 'confirm'>,
  previous: CheckState | undefined,
  recent: readonly Pick<CheckResult, 'status' | 'region'>[],
  result: CheckResult,
  now: number,
): CheckState {
  if (!isMultiRegion(check)) {
    return confirmStatus(previous, recent.map((r) => r.status), result, check.confirm);
  }
  const name = regionOf(result);
  const before = previous?.regions?.[name];
  if (before && before.at >= result.at) return previous!;

  // per-region confirmation reuses the single-region rule on a state shaped from the region's entry
  const regionPrevious: CheckState | undefined = before && before.status !== 'stale'
    ? { check: result.check, status: before.status, since: before.at, streak: 0 }
    : undefined;
  const regionRecent = recent.filter((r) => regionOf(r) === name).map((r) => r.status);
  const confirmed = confirmStatus(regionPrevious, regionRecent, result, check.confirm);
  const entry: RegionStatus = { status: confirmed.status, at: result.at, latencyMs: result.latencyMs };
  if (result.failure) entry.failure = { class: result.failure.class, message: result.failure.message };

  const regions = freshRegions({ ...previous?.regions, [name]: entry }, check, now);
  const status = quorumStatus(regions, check.quorum);
  const changed = previous?.status !== status;
  const state: CheckState = {
    check: result.check,
    status,
    since: changed || !previous ? result.at : previous.since,
    // the newest result of any region: regions report late (agents batch), and a stored state
    // is never replaced by one whose last result is older
    lastResult: newest(previous?.lastResult, result),
    // confirmation streaks live per region; the quorum itself switches at once
    streak: 0,
    regions,
  };
  const failure = result.failure ? { ...result.failure, at: result.at } : undefined;
  const lastFailure = failure && (!previous?.lastFailure || failure.at >= previous.lastFailure.at) ? failure : previous?.lastFailure;
  if (lastFailure) state.lastFailure = lastFailure;
  return state;
}

function newest(previous: LastResult | undefined, result: CheckResult): LastResult {
  return previous && previous.at > result.at ? previous : lastResultOf(result);
}

/**
 * The states of multi-region checks that changed only because time passed: a region went stale
 * since the state was written (e.g. every agent of a check stopped reporting, so no result comes
 * to recompute it). Returns just the changed states, recomputed by quorum.
 */
export function restaleStates(
  checks: readonly Pick<Check, 'name' | 'regions' | 'quorum' | 'intervalMs'>[],
  states: Pick<ReadonlyMap<string, CheckState>, 'get'>,
  now: number,
): CheckState[] {
  const changed: CheckState[] = [];
  for (const check of checks) {
    const state = states.get(check.name);
    if (!state?.regions || !isMultiRegion(check)) continue;
    const regions = freshRegions(state.regions, check, now);
    if (Object.entries(regions).every(([name, region]) => state.regions![name]?.status === region.status)) continue;
    const status = quorumStatus(regions, check.quorum);
    changed.push({ ...state, regions, status, since: status === state.status ? state.since : now });
  }
  return changed;
}

/**
 * The state to store when `incoming` was confirmed on a read that another writer may have changed
 * since (`stored` is what is stored now, read under the store's lock). Two instances that each
 * took one region's report of the same check both read the state before either wrote it, so
 * neither may simply replace it: each region keeps its newest entry, and the check's status is
 * derived again from the merged regions. A single-region check keeps the incoming state unless
 * the stored one rests on a newer result (one claimer runs it at a time).
 */
export function mergeStates(
  check: Pick<Check, 'regions' | 'quorum' | 'intervalMs'>,
  stored: CheckState | undefined,
  incoming: CheckState,
  now: number,
): CheckState {
  if (!stored) return incoming;
  if (!isMultiRegion(check) || !incoming.regions) {
    const newer = stored.lastResult && incoming.lastResult && stored.lastResult.at > incoming.lastResult.at;
    return newer ? stored : incoming;
  }
  const merged: Record<string, RegionStatus> = { ...stored.regions };
  for (const [name, region] of Object.entries(incoming.regions)) {
    const before = merged[name];
    if (!before || region.at >= before.at) merged[name] = region;
  }
  const regions = freshRegions(merged, check, now);
  const status = quorumStatus(regions, check.quorum);
  // a change of status happens at the newest fact this write brings (its result, or the sweep's time)
  const changedAt = Math.max(stored.since, incoming.since, incoming.lastResult?.at ?? 0);
  const state: CheckState = {
    check: incoming.check,
    status,
    since: status === stored.status ? stored.since : changedAt,
    streak: 0,
    regions,
  };
  const lastResult = newestBy(stored.lastResult, incoming.lastResult);
  if (lastResult) state.lastResult = lastResult;
  const lastFailure = newestBy(stored.lastFailure, incoming.lastFailure);
  if (lastFailure) state.lastFailure = lastFailure;
  return state;
}

function newestBy<T extends { at: number }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.at > b.at ? a : b;
}
