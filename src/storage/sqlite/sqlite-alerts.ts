/**
 * Alert records (compare-and-set on `version`) and the notification outbox (leased claims).
 * Every read-check-write runs in `BEGIN IMMEDIATE`, so with several processes on one file exactly
 * one caller wins each transition and each lease. A notification is claimable only when no earlier
 * message of the same alert to the same channel is still pending (see the alerts port), found through
 * the `alert_key`/`sequence` columns and their partial index (migration 7).
 * @module
 */
import type { AlertEvent, AlertRecord, AlertTransition, Notification, Silence } from '../../domain/alert.ts';
import type { AlertsPort, NotificationCompletion } from '../ports/alerts-port.ts';
import type { SqliteHandle } from './database.ts';

interface NotificationRow {
  id: string;
  check_name: string;
  channel: string;
  state: Notification['state'];
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
  event: string;
}

function toNotification(row: NotificationRow): Notification {
  const notification: Notification = {
    id: row.id,
    channel: row.channel,
    event: JSON.parse(row.event) as AlertEvent,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
  if (row.sent_at !== null) notification.sentAt = row.sent_at;
  if (row.last_error !== null) notification.lastError = row.last_error;
  return notification;
}

/** The alerts port on SQLite; `ready` migrates the file on first use. */
export function createSqliteAlerts(handle: SqliteHandle, ready: () => void): AlertsPort {
  const insertNotification = () =>
    handle.stmt(
      `INSERT OR IGNORE INTO notifications (id, check_name, channel, state, attempts, next_attempt_at, created_at,
         sent_at, last_error, event, alert_key, sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );

  /** One compare-and-set with its notifications; runs inside the caller's write transaction. */
  function applyOne({ record, fromVersion, notifications }: AlertTransition): boolean {
    const row = handle.stmt('SELECT version FROM alerts WHERE key = ?').get(record.key) as { version: number } | undefined;
    if ((row?.version ?? 0) !== fromVersion) return false;
    handle.stmt('INSERT OR REPLACE INTO alerts (key, version, data) VALUES (?, ?, ?)').run(record.key, record.version, JSON.stringify(record));
    const insert = insertNotification();
    for (const n of notifications) {
      insert.run(
        n.id,
        n.event.check,
        n.channel,
        n.state,
        n.attempts,
        n.nextAttemptAt,
        n.createdAt,
        n.sentAt ?? null,
        n.lastError ?? null,
        JSON.stringify(n.event),
        n.event.key,
        n.event.sequence ?? 0,
      );
    }
    return true;
  }

  /** Records one delivery outcome (alone, or inside the caller's write transaction). */
  function completeOne({ id, outcome }: NotificationCompletion): void {
    if ('sentAt' in outcome) {
      handle
        .stmt(
          `UPDATE notifications SET state = 'sent', sent_at = ?, attempts = attempts + 1,
             lease_owner = NULL, lease_until = NULL WHERE id = ? AND state <> 'sent'`,
        )
        .run(outcome.sentAt, id);
      return;
    }
    // with a retry time it stays pending (claimable from then on); without one it gave up. A sent
    // notification stays sent: a late report from an instance whose lease ran out cannot reopen it
    handle
      .stmt(
        `UPDATE notifications SET state = ?, last_error = ?, attempts = attempts + 1,
           next_attempt_at = coalesce(?, next_attempt_at), lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND state <> 'sent'`,
      )
      .run(outcome.retryAt === undefined ? 'failed' : 'pending', outcome.error, outcome.retryAt ?? null, id);
  }

  return {
    async readAlerts() {
      ready();
      return (handle.stmt('SELECT data FROM alerts ORDER BY key').all() as { data: string }[]).map(
        (row) => JSON.parse(row.data) as AlertRecord,
      );
    },

    async applyAlertTransition(transition) {
      ready();
      return handle.write(() => applyOne(transition));
    },

    async applyAlertTransitions(transitions) {
      ready();
      if (!transitions.length) return [];
      return handle.write(() => transitions.map(applyOne));
    },

    async claimNotifications(owner, now, leaseMs, limit) {
      ready();
      if (limit <= 0) return [];
      return handle.write(() => {
        const rows = handle
          .stmt(
            `SELECT * FROM notifications n
             WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
               AND NOT EXISTS (SELECT 1 FROM notifications p
                 WHERE p.state = 'pending' AND p.channel = n.channel AND p.alert_key = n.alert_key
                   AND (p.sequence, p.created_at, p.id) < (n.sequence, n.created_at, n.id))
             ORDER BY next_attempt_at, created_at, id LIMIT ?`,
          )
          .all(now, now, limit) as NotificationRow[];
        const lease = handle.stmt('UPDATE notifications SET lease_owner = ?, lease_until = ? WHERE id = ?');
        for (const row of rows) lease.run(owner, now + leaseMs, row.id);
        return rows.map(toNotification);
      });
    },

    async completeNotification(id, outcome) {
      ready();
      completeOne({ id, outcome });
    },

    async completeNotifications(completions) {
      ready();
      if (completions.length) handle.write(() => completions.forEach(completeOne));
    },

    async listNotifications({ check, limit } = {}) {
      ready();
      const rows =
        check === undefined
          ? handle.stmt('SELECT * FROM notifications ORDER BY created_at DESC, id DESC LIMIT ?').all(limit ?? -1)
          : handle
              .stmt('SELECT * FROM notifications WHERE check_name = ? ORDER BY created_at DESC, id DESC LIMIT ?')
              .all(check, limit ?? -1);
      return (rows as NotificationRow[]).map(toNotification);
    },

    async saveSilence(silence) {
      ready();
      handle
        .stmt('INSERT OR REPLACE INTO silences (id, ends_at, created_at, data) VALUES (?, ?, ?, ?)')
        .run(silence.id, silence.endsAt, silence.createdAt, JSON.stringify(silence));
    },

    async listSilences({ activeAt } = {}) {
      ready();
      const rows = handle.stmt('SELECT data FROM silences WHERE ends_at > ? ORDER BY created_at DESC, id DESC').all(activeAt ?? Number.MIN_SAFE_INTEGER) as { data: string }[];
      return rows.map((row) => JSON.parse(row.data) as Silence);
    },

    async expireSilence(id, at) {
      ready();
      return handle.write(() => {
        const row = handle.stmt('SELECT data FROM silences WHERE id = ?').get(id) as { data: string } | undefined;
        if (!row) return undefined;
        const silence = JSON.parse(row.data) as Silence;
        if (silence.endsAt <= at) return silence;
        const expired = { ...silence, endsAt: at };
        handle.stmt('UPDATE silences SET ends_at = ?, data = ? WHERE id = ?').run(at, JSON.stringify(expired), id);
        return expired;
      });
    },
  };
}
