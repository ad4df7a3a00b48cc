/**
 * Email subscribers on DynamoDB: one item per address in the `subscribers` partition (sk = the
 * subscriber id), the record as a JSON string. Reads are strongly consistent: a confirmation or
 * unsubscribe must count at once everywhere.
 * @module
 */
import { NOTICE_CLAIM_TTL_MS, type Subscriber, type SubscriptionsPort } from '../ports/subscriptions-port.ts';
import { isConditionalFailure, type DynamoOps } from './table-client.ts';
import { partitions, TTL_ATTRIBUTE } from './table-definition.ts';

const subscriberKey = (id: string) => ({ name: partitions.subscribers, sk: id });

/** The subscriptions port on DynamoDB. */
export function createDynamoSubscriptions(ops: DynamoOps): SubscriptionsPort {
  const query = (filter: string, values: Record<string, unknown>) =>
    ops.query({
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: filter,
      ExpressionAttributeNames: { '#pk': 'name', '#c': 'confirmed', ...(':now' in values ? { '#exp': 'confirmExpiresAt' } : {}) },
      ExpressionAttributeValues: { ':pk': partitions.subscribers, ...values },
    });
  return {
    async saveSubscriber(subscriber) {
      await ops.put({
        Item: {
          ...subscriberKey(subscriber.id),
          confirmed: subscriber.confirmed,
          // pending sign-ups only: confirmed ones never expire
          ...(subscriber.confirmExpiresAt === undefined ? {} : { confirmExpiresAt: subscriber.confirmExpiresAt }),
          data: JSON.stringify(subscriber),
        },
      });
    },
    async getSubscriber(id) {
      const item = await ops.get(subscriberKey(id));
      return item ? (JSON.parse(String(item.data)) as Subscriber) : undefined;
    },
    async listConfirmedSubscribers() {
      const items = await query('#c = :yes', { ':yes': true });
      return items.map((item) => JSON.parse(String(item.data)) as Subscriber);
    },
    async deleteSubscriber(id) {
      await ops.delete({ Key: subscriberKey(id) });
    },
    async pruneSubscribers(now) {
      const expired = await query('#c = :no AND #exp <= :now', { ':no': false, ':now': now });
      await ops.batchWrite(expired.map((item) => ({ delete: subscriberKey(String(item.sk)) })));
      return expired.length;
    },
    async claimNotice(key, at) {
      try {
        await ops.put({
          // claims expire by TTL: nothing has to prune them
          Item: { name: partitions.noticeClaims, sk: key, at, [TTL_ATTRIBUTE]: Math.ceil((at + NOTICE_CLAIM_TTL_MS) / 1000) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'name' },
        });
        return true;
      } catch (error) {
        if (isConditionalFailure(error)) return false;
        throw error;
      }
    },
  };
}
