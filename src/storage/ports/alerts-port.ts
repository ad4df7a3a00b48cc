/**
 * The alerts port: alert records (compare-and-set on their version) and the notification outbox
 * that a transition fills and dispatchers drain with leased claims.
 * @module
 */
import type { AlertRecord, AlertTransition, Notification, Silence } from '../../domain/alert.ts';

/** The outcome of one delivery attempt. */
type NotificationOutcome = { sentAt: number } | { error: string; retryAt?: number };

/** One delivery outcome of a batch (`completeNotifications`). */
export interface NotificationCompletion {
  id: string;
  outcome: NotificationOutcome;
}

/** Alert records and the notification outbox. */
export interface AlertsPort {
  /**
   * Every alert record; with `keys`, those records (an evaluator that lost a compare-and-set
   * re-reads one record, not the table). A backend that reads every record anyway (SQLite,
   * DynamoDB) may return more: callers pick their records by key.
   */
  readAlerts(keys?: readonly string[]): Promise<AlertRecord[]>;
  /**
   * Writes `transition.record` and enqueues its notifications atomically, only if the stored
   * version equals `fromVersion`. Returns false (writing nothing) when another writer got there first.
   */
  applyAlertTransition(transition: AlertTransition): Promise<boolean>;
  /**
   * Applies several transitions of different alerts (one evaluation round) in one write, each
   * with its own compare-and-set: the result says, in order, which were written. A refused one
   * writes nothing (neither its record nor its notifications) and does not stop the others. Keys
   * must be distinct. One transaction instead of one per transition is what a round of results
   * that fires or resolves several alerts costs.
   */
  applyAlertTransitions(transitions: readonly AlertTransition[]): Promise<boolean[]>;
  /**
   * Claims up to `limit` pending notifications whose `nextAttemptAt <= now` for `owner` until
   * `now + leaseMs`; a claimed notification is not returned to another owner before its lease ends.
   * Per alert (`event.key`) and channel, messages go out in order (`event.sequence`, then
   * `createdAt`, then `id`): one is claimable only while no earlier one is still pending (due or
   * not, leased or not). A sent or given-up (`failed`) message no longer holds the ones after it.
   */
  claimNotifications(owner: string, now: number, leaseMs: number, limit: number): Promise<Notification[]>;
  /**
   * Records the outcome of one delivery attempt (`attempts` counts completed attempts, not claims):
   * confirmed (never claimed again); failed with `retryAt` (stays pending, claimable from then);
   * failed without `retryAt` (given up: state `failed`).
   */
  completeNotification(id: string, outcome: NotificationOutcome): Promise<void>;
  /**
   * Records several outcomes (`completeNotification` each) in one write: deliveries that finish
   * together cost one transaction, not one each.
   */
  completeNotifications(completions: readonly NotificationCompletion[]): Promise<void>;
  /** Notifications newest first, optionally of one check, for alert history. */
  listNotifications(options?: { check?: string; limit?: number }): Promise<Notification[]>;
  /** Stores a silence (insert or replace by id). */
  saveSilence(silence: Silence): Promise<void>;
  /** Silences not ended at `activeAt` (all when omitted), newest first. */
  listSilences(options?: { activeAt?: number }): Promise<Silence[]>;
  /** Ends a silence at `at` (if it ends later); returns the silence, or undefined when there is none with that id. */
  expireSilence(id: string, at: number): Promise<Silence | undefined>;
}
