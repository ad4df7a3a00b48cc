/**
 * Confirmation: how raw per-result statuses become the status a check shows. A check goes down
 * only after `downAfter` failures (consecutive, or `count of N`), and back up only after `upAfter`
 * consecutive successes, so one lost packet does not page anybody. Pure.
 * @module
 */
import type { Confirmation } from '../domain/check.ts';
import type { CheckResult, ResultStatus } from '../domain/result.ts';
import { lastResultOf, type CheckState } from '../domain/status.ts';

/**
 * The state after `result`. `recent` holds the per-result statuses before it, newest last
 * (at least `downAfter.of - 1` of them when available).
 */
export function confirmStatus(
  previous: CheckState | undefined,
  recent: readonly ResultStatus[],
  result: CheckResult,
  rule: Confirmation,
): CheckState {
  const window = [...recent, result.status].slice(-Math.max(rule.downAfter.of, rule.upAfter));
  const last = (n: number) => window.slice(-n);
  const failuresInWindow = last(rule.downAfter.of).filter((s) => s === 'down').length;
  const okStreak = trailingCount(window, (s) => s !== 'down');

  if (result.inMaintenance) return next(previous, 'maintenance', result, 0);

  const prior = previous?.status ?? 'unknown';
  if (result.status === 'down') {
    if (prior === 'down') return next(previous, 'down', result, 0);
    if (failuresInWindow >= rule.downAfter.count) return next(previous, 'down', result, 0);
    return next(previous, prior === 'maintenance' ? 'unknown' : prior, result, trailingCount(window, (s) => s === 'down'));
  }
  // up or degraded
  if (prior === 'down') {
    if (okStreak >= rule.upAfter) return next(previous, result.status, result, 0);
    return next(previous, 'down', result, okStreak);
  }
  return next(previous, result.status, result, 0);
}

function next(previous: CheckState | undefined, status: CheckState['status'], result: CheckResult, streak: number): CheckState {
  const check = result.check;
  const since = previous?.status === status ? previous.since : result.at;
  const failure = result.failure;
  const lastResult = lastResultOf(result);
  const lastFailure = failure ? { class: failure.class, message: failure.message, at: result.at } : previous?.lastFailure;
  // one literal per shape (here and for the failure: a spread copy with `at` added after): a field
  // added after the literal goes to a separate property array (40 bytes), and a check that failed
  // once keeps its last failure for good (nearly every check at scale)
  const state: CheckState = lastFailure ? { check, status, since, lastResult, streak, lastFailure } : { check, status, since, lastResult, streak };
  if (previous?.regions) state.regions = previous.regions;
  return state;
}

function trailingCount<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let count = 0;
  for (let i = items.length - 1; i >= 0 && predicate(items[i]); i--) count++;
  return count;
}
