/**
 * Alert state and notifications. An alert is one rule applied to one check; only transitions
 * between its states notify, and every notification goes through the store's outbox.
 * @module
 */

type AlertState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Persisted state of one rule on one check. `version` makes transitions compare-and-set. */
export interface AlertRecord {
  /** `${ruleId}:${check}` — stable across restarts. */
  key: string;
  rule: string;
  check: string;
  state: AlertState;
  since: number;
  /** Recent evaluation verdicts (true = breaching), newest last, bounded by the rule's window. */
  evaluations: boolean[];
  lastNotifiedAt?: number;
  /** With `for:` as a duration: when the current run of breaching (or OK) verdicts began. */
  breachingSince?: number;
  okSince?: number;
  /** When the alarm was escalated (rule `escalate`), so it escalates once and its resolve reaches those channels too. */
  escalatedAt?: number;
  /** Acknowledged (someone is on it): no reminders until it resolves. */
  ackedAt?: number;
  ackedBy?: string;
  /** In ALARM without its `firing` sent: it was inhibited (its check was down). Its resolve is silent too. */
  muted?: boolean;
  /** The channels routing chose when the alarm fired: its reminders and resolve go to the same ones. */
  routedTo?: string[];
  version: number;
}

/** A message about an alert, as handed to every notifier: display strings, no probe internals. */
export interface AlertEvent {
  key: string;
  rule: string;
  check: string;
  /** 'firing' on OK→ALARM, 'resolved' on ALARM→OK, 'reminder' while ALARM, 'test' from the CLI. */
  kind: 'firing' | 'resolved' | 'reminder' | 'test';
  /** The check's group and the rule's severity, when set (grouping and routing read them). */
  group?: string;
  severity?: string;
  /** The rule's labels, when set (routing matches them; templates can show them). */
  labels?: Record<string, string>;
  state: AlertState;
  title: string;
  /** One or two sentences a person can act on. */
  summary: string;
  at: number;
  /**
   * The alert record's version after the transition that sent this message: it grows with every
   * message of one alert, so the outbox (and a receiver) can put them in order whatever the clocks
   * of the instances that wrote them say. Absent on test messages and on entries stored before it existed.
   */
  sequence?: number;
  /** Link to the check's page, when the public URL is configured. */
  url?: string;
  /** Signed link that acknowledges the alert (firing and reminders, with `alerts.ackLinks`). */
  ackUrl?: string;
}

/** One delivery of one event to one channel, kept in the outbox until confirmed. */
export interface Notification {
  id: string;
  channel: string;
  event: AlertEvent;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  /** Earliest time of the next attempt. */
  nextAttemptAt: number;
  createdAt: number;
  sentAt?: number;
  lastError?: string;
}

/** What a silence matches: every given field must equal the alert's (an empty matcher matches nothing). */
export interface SilenceMatchers {
  check?: string;
  group?: string;
  rule?: string;
  severity?: string;
}

/** A stored silence: alerts it matches send nothing between `startsAt` and `endsAt`. */
export interface Silence {
  id: string;
  matchers: SilenceMatchers;
  startsAt: number;
  /** Expiring a silence moves this to the expiry time. */
  endsAt: number;
  comment: string;
  createdBy: string;
  createdAt: number;
}

/** An atomic alert transition: applied only if the stored version still equals `fromVersion`. */
export interface AlertTransition {
  record: AlertRecord;
  /** Version the caller read (0 when no record existed). */
  fromVersion: number;
  /** Outbox entries created in the same write, so a transition never loses its notifications. */
  notifications: Notification[];
}
