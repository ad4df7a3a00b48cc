/**
 * Turns a transition into the `AlertEvent` every channel receives: a title and a summary a
 * person can act on. Display strings only, so notifiers never look at probe internals.
 * @module
 */
import type { AlertEvent, AlertRecord } from '../domain/alert.ts';
import type { Check } from '../domain/check.ts';
import { formatDuration } from '../kernel/parse-duration.ts';
import type { AlertRule } from './rules/alert-rule.ts';
import type { Evaluation } from './rules/evaluate-rule.ts';
import type { NotifyKind } from './alert-step.ts';
import { redactUrls } from './redact-urls.ts';

const SHARE_NAMES = { errors: 'client errors (4xx)', throttles: 'throttled requests (429)', faults: 'server errors (5xx)' } as const;

function titles(rule: AlertRule, name: string): Record<NotifyKind, string> {
  switch (rule.kind) {
    case 'down':
      return { firing: `${name} is down`, reminder: `${name} is still down`, resolved: `${name} is back up` };
    case 'heartbeat':
      return { firing: `${name} missed its heartbeat`, reminder: `${name} is still missing heartbeats`, resolved: `${name} heartbeat is back` };
    case 'latency':
      return { firing: `${name} is slow`, reminder: `${name} is still slow`, resolved: `${name} latency is back to normal` };
    case 'errors':
    case 'throttles':
    case 'faults': {
      const what = SHARE_NAMES[rule.kind];
      return { firing: `${name}: elevated ${what}`, reminder: `${name}: still elevated ${what}`, resolved: `${name}: ${what} back to normal` };
    }
    case 'certificate':
      return { firing: `${name} certificate expires soon`, reminder: `${name} certificate still expires soon`, resolved: `${name} certificate renewed` };
  }
}

const OPERATOR_WORDS = { '>': 'above', '>=': 'at or above', '<': 'below', '<=': 'at or below' } as const;

function condition(rule: AlertRule): string {
  switch (rule.kind) {
    case 'down':
      return 'the check is down';
    case 'heartbeat':
      return 'no heartbeat arrived within its period';
    case 'latency':
      return `latency ${rule.expression.text}`;
    case 'errors':
    case 'throttles':
    case 'faults':
      return `${SHARE_NAMES[rule.kind]} ${OPERATOR_WORDS[rule.expression.op]} ${Math.round(rule.expression.ratio * 100_000) / 1000}% over ${formatDuration(rule.expression.overMs)}`;
    case 'certificate':
      return `certificate expires within ${formatDuration(rule.withinMs)}`;
  }
}

/** `45s`, `12m`, `3h 5m`, `2d 4h`: how long an alarm lasted, for people. */
function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  return hours % 24 ? `${Math.floor(hours / 24)}d ${hours % 24}h` : `${Math.floor(hours / 24)}d`;
}

function iso(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

export interface MessageInput {
  kind: NotifyKind;
  rule: AlertRule;
  check: Pick<Check, 'name' | 'target' | 'group'>;
  /** The record after the transition. */
  record: AlertRecord;
  /** When the alarm started (for reminders and resolves: the ALARM record's `since`). */
  alarmSince: number;
  evaluation: Evaluation;
  at: number;
  url?: string;
  /** Hide userinfo and query values of URLs in the summary (false only for checks that opted out). */
  redact: boolean;
}

export function buildAlertEvent(input: MessageInput): AlertEvent {
  const { kind, rule, check, record, evaluation, at } = input;
  const observed = evaluation.observed ? ` Observed: ${evaluation.observed}.` : '';
  const target = check.target ? ` (${check.target})` : '';
  let summary: string;
  if (kind === 'firing') summary = `${check.name}${target}: ${condition(rule)} since ${iso(at)}.${observed}`;
  else if (kind === 'reminder') summary = `${check.name}${target}: ${condition(rule)}, firing since ${iso(input.alarmSince)} (${humanDuration(at - input.alarmSince)}).${observed}`;
  else summary = `${check.name}${target} is back to normal after ${humanDuration(at - input.alarmSince)} in alarm.${observed}`;
  return {
    key: record.key,
    rule: rule.kind,
    check: check.name,
    ...(check.group ? { group: check.group } : {}),
    ...(rule.severity ? { severity: rule.severity } : {}),
    ...(rule.labels ? { labels: rule.labels } : {}),
    kind,
    state: record.state,
    title: titles(rule, check.name)[kind],
    summary: input.redact ? redactUrls(summary) : summary,
    at,
    sequence: record.version,
    ...(input.url ? { url: input.url } : {}),
  };
}

/** The event `sendTest` delivers to a channel. */
export function testEvent(channel: string, at: number): AlertEvent {
  return {
    key: `test:${channel}`,
    rule: 'test',
    check: 'upstate',
    kind: 'test',
    state: 'OK',
    title: `Test notification for channel ${channel}`,
    summary: `If you can read this, Upstate can deliver alerts to "${channel}". No action is needed.`,
    at,
  };
}
