/**
 * Inhibition on one check: while its `down` alert is in alarm, its `faults`, `errors`,
 * `throttles` and `latency` alerts do not page (a 5xx outage is one page, not two). The inhibition
 * lasts until the inhibited rule's window has passed since `down` resolved, because until then
 * that window still holds the outage's results. An inhibited alert still changes state; its
 * `firing` (and so its `resolved`) is not sent. One still in alarm when the inhibition ends
 * sends its `firing` then.
 * @module
 */
import type { AlertRecord } from '../domain/alert.ts';
import type { AlertStep } from './alert-step.ts';
import { ruleWindowMs, type AlertRule, type RuleKind } from './rules/alert-rule.ts';

const INHIBITED_BY_DOWN: ReadonlySet<RuleKind> = new Set(['faults', 'errors', 'throttles', 'latency']);

/** Whether `rule` is inhibited, given the check's `down` alert record (if the check has that rule). */
export function inhibitedByDown(rule: AlertRule, down: AlertRecord | undefined, now: number): boolean {
  if (!down || !INHIBITED_BY_DOWN.has(rule.kind)) return false;
  if (down.state === 'ALARM') return true;
  // `lastNotifiedAt === since` marks an OK that began with a sent resolve (not a first OK after
  // start-up); with `sendOnResolved: false` the inhibition simply ends at the resolve
  return down.state === 'OK' && down.lastNotifiedAt === down.since && now - down.since < ruleWindowMs(rule);
}

/** Applies inhibition to one step: mutes its message while inhibited, sends a muted `firing` once it is not. */
export function applyInhibition(step: AlertStep, inhibited: boolean, now: number): AlertStep {
  const { record } = step;
  if (inhibited) {
    if (step.notify === 'firing' || step.notify === 'reminder') return { ...step, notify: undefined, record: { ...record, muted: true } };
    return step;
  }
  if (record.state === 'ALARM' && record.muted && !step.notify) {
    // the inhibition ended while this alert is still in alarm: page now
    const version = step.write ? record.version : record.version + 1;
    return { write: true, notify: 'firing', record: { ...record, muted: undefined, since: now, lastNotifiedAt: now, version } };
  }
  return step;
}
