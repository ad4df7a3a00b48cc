/**
 * Email subscribers in PostgreSQL: one row per address, the record as JSON beside the columns
 * the queries filter on. Reads go to the primary: a confirmation or unsubscribe on one instance
 * must count on every other one at once.
 * @module
 */
import { NOTICE_CLAIM_TTL_MS, type Subscriber, type SubscriptionsPort } from '../ports/subscriptions-port.ts';
import type { PgQueryable } from './pg-pool.ts';

/** The subscriptions port on PostgreSQL. */
export function createPostgresSubscriptions({ write }: { write: PgQueryable }): SubscriptionsPort {
  return {
    async saveSubscriber(subscriber) {
      await write.query(
        `INSERT INTO subscribers (id, confirmed, confirm_expires_at, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET confirmed = EXCLUDED.confirmed, confirm_expires_at = EXCLUDED.confirm_expires_at, body = EXCLUDED.body`,
        [subscriber.id, subscriber.confirmed, subscriber.confirmExpiresAt ?? null, JSON.stringify(subscriber)],
      );
    },
    async getSubscriber(id) {
      const { rows } = await write.query('SELECT body FROM subscribers WHERE id = $1', [id]);
      return rows[0] ? (rows[0].body as Subscriber) : undefined;
    },
    async listConfirmedSubscribers() {
      const { rows } = await write.query('SELECT body FROM subscribers WHERE confirmed ORDER BY id');
      return rows.map((row) => row.body as Subscriber);
    },
    async deleteSubscriber(id) {
      await write.query('DELETE FROM subscribers WHERE id = $1', [id]);
    },
    async pruneSubscribers(now) {
      await write.query('DELETE FROM notice_claims WHERE at <= $1', [now - NOTICE_CLAIM_TTL_MS]);
      const result = await write.query('DELETE FROM subscribers WHERE NOT confirmed AND confirm_expires_at <= $1', [now]);
      return result.rowCount ?? 0;
    },
    async claimNotice(key, at) {
      const result = await write.query('INSERT INTO notice_claims (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, at]);
      return result.rowCount === 1;
    },
  };
}
