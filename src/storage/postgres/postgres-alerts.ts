/**
 * Alert records and the notification outbox in PostgreSQL. Transitions are compare-and-set on
 * the record's version (row lock + re-check under READ COMMITTED); claims lease rows with
 * `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers never block on or double-send an entry, and
 * never take a message while an earlier one of the same alert and channel is still pending.
 * @module
 */
import type { AlertRecord, AlertTransition, Notification, Silence } from '../../domain/alert.ts';
import type { AlertsPort, NotificationCompletion } from '../ports/alerts-port.ts';
import { withTransaction, type PgPoolLike, type PgQueryable, type PgRow } from './pg-pool.ts';

export interface AlertsDeps {
  write: PgPoolLike;
  read: PgQueryable;
}

function toNotification(row: PgRow): Notification {
  const notification: Notification = {
    id: row.id as string,
    channel: row.channel as string,
    event: row.event as Notification['event'],
    state: row.state as Notification['state'],
    attempts: row.attempts as number,
    nextAttemptAt: row.next_attempt_at as number,
    createdAt: row.created_at as number,
  };
  if (row.sent_at !== null) notification.sentAt = row.sent_at as number;
  if (row.last_error !== null) notification.lastError = row.last_error as string;
  return notification;
}

async function enqueue(db: PgQueryable, notifications: readonly Notification[]): Promise<void> {
  if (!notifications.length) return;
  const column = <T>(pick: (n: Notification) => T): T[] => notifications.map(pick);
  await db.query(
    `INSERT INTO notifications (id, check_name, channel, state, attempts, next_attempt_at, created_at, sent_at, last_error, event)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::int8[], $7::int8[], $8::int8[], $9::text[], $10::json[])`,
    [
      column((n) => n.id),
      column((n) => n.event.check),
      column((n) => n.channel),
      column((n) => n.state),
      column((n) => n.attempts),
      column((n) => n.nextAttemptAt),
      column((n) => n.createdAt),
      column((n) => n.sentAt ?? null),
      column((n) => n.lastError ?? null),
      column((n) => JSON.stringify(n.event)),
    ],
  );
}

/** One compare-and-set with its notifications, inside the caller's transaction. */
async function applyOne(tx: PgQueryable, { record, fromVersion, notifications }: AlertTransition): Promise<boolean> {
  const body = JSON.stringify(record);
  // a concurrent INSERT of the same key waits for the winner, then does nothing; a concurrent
  // UPDATE waits on the row lock and re-checks the version against the committed row
  const { rowCount } = fromVersion === 0
    ? await tx.query('INSERT INTO alerts (key, version, body) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [record.key, record.version, body])
    : await tx.query('UPDATE alerts SET version = $2, body = $3 WHERE key = $1 AND version = $4', [record.key, record.version, body, fromVersion]);
  if (rowCount !== 1) return false;
  await enqueue(tx, notifications);
  return true;
}

/** Records one delivery outcome, alone or inside the caller's transaction. */
async function completeOne(db: PgQueryable, { id, outcome }: NotificationCompletion): Promise<void> {
  if ('sentAt' in outcome) {
    await db.query(
      `UPDATE notifications SET state = 'sent', sent_at = $2, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND state <> 'sent'`,
      [id, outcome.sentAt],
    );
    return;
  }
  // with a retry time the entry stays pending (claimable from then on); without one it has given up
  await db.query(
    `UPDATE notifications
        SET state = CASE WHEN $3::int8 IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = coalesce($3::int8, next_attempt_at),
            last_error = $2, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
      WHERE id = $1 AND state <> 'sent'`,
    [id, outcome.error, outcome.retryAt ?? null],
  );
}

/** The alerts port on PostgreSQL: compare-and-set and claims on the primary, history from the read pool. */
export function createPostgresAlerts({ write, read }: AlertsDeps): AlertsPort {
  return {
    async readAlerts(keys) {
      if (keys && !keys.length) return [];
      const { rows } = keys
        ? await read.query('SELECT body FROM alerts WHERE key = ANY($1::text[]) ORDER BY key', [keys])
        : await read.query('SELECT body FROM alerts ORDER BY key');
      return rows.map((row) => row.body as AlertRecord);
    },

    async applyAlertTransition(transition: AlertTransition) {
      return withTransaction(write, (tx) => applyOne(tx, transition));
    },

    async applyAlertTransitions(transitions) {
      if (!transitions.length) return [];
      // rows are locked in key order, so two instances writing overlapping rounds cannot deadlock
      const order = transitions.map((_, i) => i).sort((a, b) => (transitions[a].record.key < transitions[b].record.key ? -1 : transitions[a].record.key > transitions[b].record.key ? 1 : 0));
      return withTransaction(write, async (tx) => {
        const applied = new Array<boolean>(transitions.length).fill(false);
        const won: Notification[] = [];
        for (const i of order) {
          applied[i] = await applyOne(tx, { ...transitions[i], notifications: [] });
          if (applied[i]) won.push(...transitions[i].notifications);
        }
        await enqueue(tx, won);
        return applied;
      });
    },

    async claimNotifications(owner, now, leaseMs, limit) {
      const { rows } = await write.query(
        `UPDATE notifications n SET lease_owner = $1, lease_until = $2 + $3::int8
           FROM (SELECT id FROM notifications c
                  WHERE state = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
                    AND NOT EXISTS (SELECT 1 FROM notifications p
                      WHERE p.state = 'pending' AND p.channel = c.channel AND p.event->>'key' = c.event->>'key'
                        AND (coalesce((p.event->>'sequence')::int8, 0), p.created_at, p.id)
                          < (coalesce((c.event->>'sequence')::int8, 0), c.created_at, c.id))
                  ORDER BY next_attempt_at, created_at, id
                  LIMIT $4
                  FOR UPDATE SKIP LOCKED) due
          WHERE n.id = due.id
        RETURNING n.*`,
        [owner, now, leaseMs, limit],
      );
      return rows.map(toNotification).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    },

    async completeNotification(id, outcome) {
      await completeOne(write, { id, outcome });
    },

    async completeNotifications(completions) {
      if (!completions.length) return;
      if (completions.length === 1) return completeOne(write, completions[0]);
      await withTransaction(write, async (tx) => {
        for (const completion of completions) await completeOne(tx, completion);
      });
    },

    async listNotifications(options = {}) {
      const { rows } = options.check === undefined
        ? await read.query('SELECT * FROM notifications ORDER BY created_at DESC, id DESC LIMIT $1', [options.limit ?? null])
        : await read.query('SELECT * FROM notifications WHERE check_name = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [
            options.check,
            options.limit ?? null,
          ]);
      return rows.map(toNotification);
    },

    async saveSilence(silence) {
      await write.query(
        `INSERT INTO silences (id, ends_at, created_at, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET ends_at = excluded.ends_at, created_at = excluded.created_at, body = excluded.body`,
        [silence.id, silence.endsAt, silence.createdAt, JSON.stringify(silence)],
      );
    },

    async listSilences({ activeAt } = {}) {
      // from the primary: a silence just created on another instance must hold at once
      const { rows } = await write.query('SELECT body FROM silences WHERE ends_at > $1 ORDER BY created_at DESC, id DESC', [activeAt ?? Number.MIN_SAFE_INTEGER]);
      return rows.map((row) => row.body as Silence);
    },

    async expireSilence(id, at) {
      const { rows } = await write.query(
        `UPDATE silences SET ends_at = LEAST(ends_at, $2::int8),
                body = json_build_object('id', body->'id', 'matchers', body->'matchers', 'startsAt', body->'startsAt',
                  'endsAt', LEAST(ends_at, $2::int8), 'comment', body->'comment', 'createdBy', body->'createdBy', 'createdAt', body->'createdAt')
          WHERE id = $1 RETURNING body`,
        [id, at],
      );
      return rows[0]?.body as Silence | undefined;
    },
  };
}
