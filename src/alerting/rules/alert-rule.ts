/**
 * Alert rules after config validation: what to watch (the condition) and how to notify
 * (evaluation periods, resolved messages, reminders, channels).
 * @module
 */
import type { LatencyExpression, ShareExpression } from './rule-expression.ts';

const RULE_KINDS = ['down', 'heartbeat', 'latency', 'errors', 'throttles', 'faults', 'certificate'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** The HTTP status family each share rule counts. */
export type ShareKind = 'errors' | 'throttles' | 'faults';

export type RuleCondition =
  | { kind: 'down' }
  | { kind: 'heartbeat' }
  | { kind: 'latency'; expression: LatencyExpression; minSamples?: number }
  | { kind: ShareKind; expression: ShareExpression; minSamples?: number }
  | { kind: 'certificate'; withinMs: number };

export interface RuleOptions {
  /** ALARM after `count` breaching evaluations among the last `of`; resolved after `count` OK in a row. */
  periods: { count: number; of: number };
  /** `for:` as a duration: ALARM after breaching this long without an OK, resolved after OK this long (replaces `periods`). */
  forMs?: number;
  /** Send a message when the alarm resolves (default true). */
  sendOnResolved: boolean;
  /** Send reminders this often while in ALARM. */
  repeatEveryMs?: number;
  /** Channel names; undefined means every enabled channel. */
  channels?: string[];
  /** Sends the alarm to `to` as well once it has lasted `afterMs` without an acknowledgement. */
  escalate?: { afterMs: number; to: string[] };
  /** For silences (and people): critical, error, warning or info. */
  severity?: Severity;
  /** Free-form `name: value` pairs that routes match on (`labels: { team: db }`); sent with every message. */
  labels?: Record<string, string>;
}

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AlertRule = RuleCondition & RuleOptions;

/**
 * True for a rule that reads the check's latest raw result with its probe details (the
 * certificate's expiry); the others read the confirmed state or a window of results.
 */
export function readsLatestResult(rule: AlertRule): boolean {
  return rule.kind === 'certificate';
}

/** The window of raw results a rule needs (0 for rules that read the current status only). */
export function ruleWindowMs(rule: AlertRule): number {
  switch (rule.kind) {
    case 'latency':
    case 'errors':
    case 'throttles':
    case 'faults':
      return rule.expression.overMs;
    default:
      return 0;
  }
}
