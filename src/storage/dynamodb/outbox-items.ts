/**
 * The notification outbox on DynamoDB: one item per notification in the `outbox` partition
 * (sk = id). Claims are conditional updates on the lease, so exactly one owner wins each
 * notification; completion clears the lease and either confirms it or schedules a retry. Only the
 * first pending message of each alert on each channel is a candidate, so messages go out in order.
 * @module
 */
import type { AlertEvent, Notification } from '../../domain/alert.ts';
import type { AlertsPort } from '../ports/alerts-port.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import { isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { partitions } from './table-definition.ts';

/** The outbox half of the alerts port. */
export type OutboxItems = Pick<AlertsPort, 'claimNotifications' | 'completeNotification' | 'completeNotifications' | 'listNotifications'>;

/** A claim succeeds only while the notification is pending, due and not leased to anyone. */
const CLAIMABLE = '#state = :pending AND #next <= :now AND (attribute_not_exists(#until) OR #until <= :now)';
const CLAIM_NAMES = { '#state': 'state', '#next': 'nextAttemptAt', '#until': 'leaseUntil' };

function toNotification(item: Item): Notification {
  const notification: Notification = {
    id: String(item.sk),
    channel: String(item.channel),
    event: JSON.parse(String(item.event)) as AlertEvent,
    state: item.state as Notification['state'],
    attempts: Number(item.attempts ?? 0),
    nextAttemptAt: Number(item.nextAttemptAt),
    createdAt: Number(item.createdAt),
  };
  if (item.sentAt !== undefined) notification.sentAt = Number(item.sentAt);
  if (item.lastError !== undefined) notification.lastError = String(item.lastError);
  return notification;
}

/**
 * The first pending message of each alert on each channel (by the alert's sequence, then creation
 * time and id): only it may be claimed, so an alert's messages reach a channel in order. The
 * conditional claim below re-checks the lease and state; the order needs no re-check, because a
 * later message never becomes the first while an earlier one is still pending.
 */
function headsOfLine(pending: readonly Item[]): Item[] {
  const heads = new Map<string, { item: Item; order: [number, number, string] }>();
  for (const item of pending) {
    const event = JSON.parse(String(item.event)) as AlertEvent;
    const order: [number, number, string] = [event.sequence ?? 0, Number(item.createdAt), String(item.sk)];
    const line = JSON.stringify([event.key, item.channel]);
    const head = heads.get(line);
    if (!head || compareOrder(order, head.order) < 0) heads.set(line, { item, order });
  }
  return [...heads.values()].map((head) => head.item);
}

function compareOrder(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Writes a notification into the outbox unless it is already there (so relaying is idempotent). */
export async function enqueueNotification(ops: DynamoOps, n: Notification): Promise<void> {
  const item: Item = {
    name: partitions.outbox,
    sk: n.id,
    channel: n.channel,
    check: n.event.check,
    event: JSON.stringify(n.event),
    state: n.state,
    attempts: n.attempts,
    nextAttemptAt: n.nextAttemptAt,
    createdAt: n.createdAt,
  };
  if (n.sentAt !== undefined) item.sentAt = n.sentAt;
  if (n.lastError !== undefined) item.lastError = n.lastError;
  try {
    await ops.put({ Item: item, ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: { '#sk': 'sk' } });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error; // relayed before: never reset its progress
  }
}

/** `beforeClaim` relays notifications stranded by a crash (see alert-items.ts). */
export function createOutboxItems(ops: DynamoOps, beforeClaim: () => Promise<void>): OutboxItems {
  const all = () =>
    ops.query({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'name' },
      ExpressionAttributeValues: { ':pk': partitions.outbox },
    });

  const outbox: OutboxItems = {
    async claimNotifications(owner, now, leaseMs, limit) {
      if (limit <= 0) return [];
      await beforeClaim();
      const pending = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#state = :pending',
        ExpressionAttributeNames: { '#pk': 'name', '#state': 'state' },
        ExpressionAttributeValues: { ':pk': partitions.outbox, ':pending': 'pending' },
      });
      const candidates = headsOfLine(pending).filter(
        (item) => Number(item.nextAttemptAt) <= now && (item.leaseUntil === undefined || Number(item.leaseUntil) <= now),
      );
      candidates.sort((a, b) => Number(a.nextAttemptAt) - Number(b.nextAttemptAt) || Number(a.createdAt) - Number(b.createdAt));
      const claimed: Notification[] = [];
      // Claim in waves of the missing count: a lost race just moves on to the next candidate.
      while (claimed.length < limit && candidates.length > 0) {
        const wave = candidates.splice(0, limit - claimed.length);
        const won = await mapLimit(wave, 8, async (item) => {
          try {
            return await ops.update({
              Key: { name: partitions.outbox, sk: item.sk },
              UpdateExpression: 'SET #owner = :owner, #until = :until',
              ConditionExpression: CLAIMABLE,
              ExpressionAttributeNames: { ...CLAIM_NAMES, '#owner': 'leaseOwner' },
              ExpressionAttributeValues: { ':owner': owner, ':until': now + leaseMs, ':pending': 'pending', ':now': now },
              ReturnValues: 'ALL_NEW',
            });
          } catch (error) {
            if (isConditionalFailure(error)) return undefined;
            throw error;
          }
        });
        for (const item of won) if (item) claimed.push(toNotification(item));
      }
      return claimed;
    },

    async completeNotification(id, outcome) {
      const sent = 'sentAt' in outcome;
      const state = sent ? 'sent' : outcome.retryAt !== undefined ? 'pending' : 'failed';
      const names: Record<string, string> = { '#state': 'state', '#attempts': 'attempts', '#owner': 'leaseOwner', '#until': 'leaseUntil', '#sk': 'sk' };
      const values: Record<string, unknown> = { ':state': state, ':one': 1 };
      const sets = ['#state = :state'];
      if (sent) {
        Object.assign(names, { '#sentAt': 'sentAt' });
        Object.assign(values, { ':sentAt': outcome.sentAt });
        sets.push('#sentAt = :sentAt');
      } else {
        Object.assign(names, { '#error': 'lastError' });
        Object.assign(values, { ':error': outcome.error, ':sent': 'sent' });
        sets.push('#error = :error');
        if (outcome.retryAt !== undefined) {
          Object.assign(names, { '#next': 'nextAttemptAt' });
          Object.assign(values, { ':next': outcome.retryAt });
          sets.push('#next = :next');
        }
      }
      try {
        await ops.update({
          Key: { name: partitions.outbox, sk: id },
          UpdateExpression: `SET ${sets.join(', ')} ADD #attempts :one REMOVE #owner, #until`,
          // A late failure report must not resurrect a confirmed delivery.
          ConditionExpression: sent ? 'attribute_exists(#sk)' : 'attribute_exists(#sk) AND #state <> :sent',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
    },

    // one conditional update per item: DynamoDB has no cheaper way to write several at once
    async completeNotifications(completions) {
      for (const { id, outcome } of completions) await outbox.completeNotification(id, outcome);
    },

    async listNotifications(options = {}) {
      const items = (await all()).filter((item) => options.check === undefined || item.check === options.check);
      const notifications = items.map(toNotification).sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
      return options.limit === undefined ? notifications : notifications.slice(0, Math.max(0, options.limit));
    },
  };
  return outbox;
}
