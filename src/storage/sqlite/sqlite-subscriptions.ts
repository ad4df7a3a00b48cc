/**
 * Email subscribers on SQLite: one row per address, the record as JSON beside the columns the
 * queries filter on.
 * @module
 */
import { NOTICE_CLAIM_TTL_MS, type Subscriber, type SubscriptionsPort } from '../ports/subscriptions-port.ts';
import type { SqliteHandle } from './database.ts';

/** The subscriptions port on SQLite; `ready` migrates the file on first use. */
export function createSqliteSubscriptions(handle: SqliteHandle, ready: () => void): SubscriptionsPort {
  const parse = (row: { data: string } | undefined) => (row ? (JSON.parse(row.data) as Subscriber) : undefined);
  return {
    async saveSubscriber(subscriber) {
      ready();
      handle
        .stmt(
          `INSERT INTO subscribers (id, confirmed, confirm_expires_at, data) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET confirmed = excluded.confirmed, confirm_expires_at = excluded.confirm_expires_at, data = excluded.data`,
        )
        .run(subscriber.id, subscriber.confirmed ? 1 : 0, subscriber.confirmExpiresAt ?? null, JSON.stringify(subscriber));
    },
    async getSubscriber(id) {
      ready();
      return parse(handle.stmt('SELECT data FROM subscribers WHERE id = ?').get(id) as { data: string } | undefined);
    },
    async listConfirmedSubscribers() {
      ready();
      const rows = handle.stmt('SELECT data FROM subscribers WHERE confirmed = 1 ORDER BY id').all() as { data: string }[];
      return rows.map((row) => JSON.parse(row.data) as Subscriber);
    },
    async deleteSubscriber(id) {
      ready();
      handle.stmt('DELETE FROM subscribers WHERE id = ?').run(id);
    },
    async pruneSubscribers(now) {
      ready();
      handle.stmt('DELETE FROM notice_claims WHERE at <= ?').run(now - NOTICE_CLAIM_TTL_MS);
      return handle.stmt('DELETE FROM subscribers WHERE confirmed = 0 AND confirm_expires_at <= ?').run(now).changes;
    },
    async claimNotice(key, at) {
      ready();
      return handle.stmt('INSERT INTO notice_claims (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, at).changes === 1;
    },
  };
}
