/**
 * Alert history for admins: the current state of every alert (rule × check) and the deliveries
 * of its notifications — which channel, sent or failed, how many attempts, the last error.
 * Notifier errors can name internal hosts, so this never reaches anonymous visitors.
 * @module
 */
import type { Store } from '../../storage/store.ts';
import type { AlertEvent, AlertRecord, Notification } from '../../domain/alert.ts';

/** Default and largest number of notifications returned. */
export const ALERT_HISTORY_LIMIT = { default: 50, max: 500 } as const;


export interface AlertHistory {
  alerts: { key: string; rule: string; check: string; state: AlertRecord['state']; since: number; lastNotifiedAt?: number; ackedAt?: number; ackedBy?: string }[];
  notifications: {
    id: string;
    check: string;
    rule: string;
    /** The same word as in every message (webhook `kind`): firing, resolved, reminder or test. */
    kind: AlertEvent['kind'];
    title: string;
    summary: string;
    /** When the alert event happened. */
    at: number;
    channel: string;
    state: Notification['state'];
    attempts: number;
    createdAt: number;
    sentAt?: number;
    lastError?: string;
  }[];
}

/** Reads alert states and recent notifications, optionally of one check (by name). */
export async function readAlertHistory(store: Pick<Store, 'readAlerts' | 'listNotifications'>, options: { check?: string; limit?: number } = {}): Promise<AlertHistory> {
  const limit = Math.min(options.limit ?? ALERT_HISTORY_LIMIT.default, ALERT_HISTORY_LIMIT.max);
  const [records, notifications] = await Promise.all([store.readAlerts(), store.listNotifications({ check: options.check, limit })]);
  return {
    alerts: records
      .filter((r) => options.check === undefined || r.check === options.check)
      .sort((a, b) => b.since - a.since)
      .map((r) => ({ key: r.key, rule: r.rule, check: r.check, state: r.state, since: r.since, lastNotifiedAt: r.lastNotifiedAt, ackedAt: r.ackedAt, ackedBy: r.ackedBy })),
    notifications: notifications.map((n) => ({
      id: n.id,
      check: n.event.check,
      rule: n.event.rule,
      kind: n.event.kind,
      title: n.event.title,
      summary: n.event.summary,
      at: n.event.at,
      channel: n.channel,
      state: n.state,
      attempts: n.attempts,
      createdAt: n.createdAt,
      sentAt: n.sentAt,
      lastError: n.lastError,
    })),
  };
}
