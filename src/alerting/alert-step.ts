/**
 * The alert state machine, pure: previous record + one evaluation → next record, whether it must
 * be written, and which message (if any) it sends.
 *
 * - OK/INSUFFICIENT_DATA → ALARM when `count` of the last `of` evaluations breach (firing);
 * - ALARM → OK after `count` OK evaluations in a row (resolved), so a flapping service fires once
 *   instead of once per flap; evaluation history restarts after a resolve;
 * - a data gap never resolves an alarm: ALARM stays ALARM on "insufficient";
 * - OK ↔ INSUFFICIENT_DATA are recorded but never notify;
 * - while ALARM, `repeatEvery` sends reminders, until the alert is acknowledged (a resolve clears that).
 * @module
 */
import type { AlertEvent, AlertRecord } from '../domain/alert.ts';
import type { AlertRule } from './rules/alert-rule.ts';
import type { Evaluation } from './rules/evaluate-rule.ts';
import { alertKey } from './rules/resolve-rules.ts';

export type NotifyKind = Extract<AlertEvent['kind'], 'firing' | 'resolved' | 'reminder'>;

export interface AlertStep {
  /** The record after this evaluation (version already advanced when `write`). */
  record: AlertRecord;
  /** True when the state (or reminder time) changed and the record must be stored. */
  write: boolean;
  notify?: NotifyKind;
  /** This `firing` is the escalation: it goes to the rule's `escalate.to` channels only. */
  escalation?: boolean;
}

/** The escalation step, when the alarm has lasted `escalate.after` unacknowledged and unescalated. */
function escalation(rule: AlertRule, current: AlertRecord, now: number, next: (changes: Partial<AlertRecord>, notify?: NotifyKind) => AlertStep): AlertStep | undefined {
  if (!rule.escalate || current.ackedAt !== undefined || current.escalatedAt !== undefined || current.muted) return undefined;
  if (now - current.since < rule.escalate.afterMs) return undefined;
  return { ...next({ escalatedAt: now }, 'firing'), escalation: true };
}

/**
 * `for:` as a duration: the time since the current run of breaching (or OK) verdicts began decides,
 * so alerting behaves the same at any check interval. The run's start is stored in the record.
 */
function stepByDuration(
  rule: AlertRule,
  forMs: number,
  current: AlertRecord,
  isNew: boolean,
  evaluation: Evaluation,
  now: number,
  next: (changes: Partial<AlertRecord>, notify?: NotifyKind) => AlertStep,
  unchanged: AlertStep,
): AlertStep {
  if (evaluation.verdict === 'insufficient') {
    if (current.state === 'ALARM' && !isNew) return reminder(rule, current, now, next) ?? unchanged; // a gap never resolves
    return isNew || current.state !== 'INSUFFICIENT_DATA' ? next({ state: 'INSUFFICIENT_DATA', since: now }) : unchanged;
  }
  const breaching = evaluation.verdict === 'breaching';
  const runSince = (breaching ? current.breachingSince : current.okSince) ?? now;
  const run = breaching ? { breachingSince: runSince, okSince: undefined } : { okSince: runSince, breachingSince: undefined };
  const started = breaching ? current.breachingSince === undefined : current.okSince === undefined;
  const lasted = now - runSince >= forMs;
  if (current.state === 'ALARM' && !isNew) {
    if (!breaching && lasted) return next({ ...run, state: 'OK', since: now, evaluations: [], muted: undefined, ackedAt: undefined, ackedBy: undefined, escalatedAt: undefined, routedTo: undefined }, rule.sendOnResolved && !current.muted ? 'resolved' : undefined);
    return escalation(rule, current, now, next) ?? reminder(rule, current, now, next, run) ?? (started ? next(run) : unchanged);
  }
  if (breaching && lasted) return next({ ...run, state: 'ALARM', since: now }, 'firing');
  if (!breaching && (isNew || current.state !== 'OK')) return next({ ...run, state: 'OK', since: now });
  return started || isNew ? next(run) : unchanged;
}

function reminder(
  rule: AlertRule,
  current: AlertRecord,
  now: number,
  next: (changes: Partial<AlertRecord>, notify?: NotifyKind) => AlertStep,
  changes: Partial<AlertRecord> = {},
): AlertStep | undefined {
  const lastMessage = current.lastNotifiedAt ?? current.since;
  if (current.ackedAt !== undefined) return undefined; // acknowledged: someone is on it
  return rule.repeatEveryMs !== undefined && now - lastMessage >= rule.repeatEveryMs ? next(changes, 'reminder') : undefined;
}

export function stepAlert(previous: AlertRecord | undefined, rule: AlertRule, check: string, evaluation: Evaluation, now: number): AlertStep {
  const { count, of } = rule.periods;
  const evaluations =
    evaluation.verdict === 'insufficient'
      ? [...(previous?.evaluations ?? [])]
      : [...(previous?.evaluations ?? []), evaluation.verdict === 'breaching'].slice(-of);
  const current: AlertRecord = previous
    ? { ...previous, evaluations }
    : { key: alertKey(rule, check), rule: rule.kind, check, state: 'INSUFFICIENT_DATA', since: now, evaluations, version: 0 };
  const isNew = previous === undefined;
  const next = (changes: Partial<AlertRecord>, notify?: NotifyKind): AlertStep => ({
    record: { ...current, ...changes, version: current.version + 1, ...(notify ? { lastNotifiedAt: now } : {}) },
    write: true,
    notify,
  });
  const unchanged: AlertStep = { record: current, write: false };
  if (rule.forMs !== undefined) return stepByDuration(rule, rule.forMs, current, isNew, evaluation, now, next, unchanged);

  if (current.state === 'ALARM' && !isNew) {
    const recent = evaluations.slice(-count);
    if (evaluation.verdict === 'ok' && recent.length >= count && recent.every((breaching) => !breaching)) {
      return next({ state: 'OK', since: now, evaluations: [], muted: undefined, ackedAt: undefined, ackedBy: undefined, escalatedAt: undefined, routedTo: undefined }, rule.sendOnResolved && !current.muted ? 'resolved' : undefined);
    }
    const escalated = escalation(rule, current, now, next);
    if (escalated) return escalated;
    const lastMessage = current.lastNotifiedAt ?? current.since;
    if (rule.repeatEveryMs !== undefined && current.ackedAt === undefined && now - lastMessage >= rule.repeatEveryMs) return next({}, 'reminder');
    return unchanged;
  }
  if (evaluation.verdict === 'insufficient') {
    return isNew || current.state !== 'INSUFFICIENT_DATA' ? next({ state: 'INSUFFICIENT_DATA', since: now }) : unchanged;
  }
  if (evaluations.filter(Boolean).length >= count) return next({ state: 'ALARM', since: now }, 'firing');
  return isNew || current.state !== 'OK' ? next({ state: 'OK', since: now }) : unchanged;
}
