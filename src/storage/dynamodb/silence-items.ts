/**
 * Alert silences on DynamoDB: one item per silence in the `silences` partition (sk = id), the
 * silence as JSON in `d` and its end in `endsAt`, so expiring is one conditional update.
 * @module
 */
import type { Silence } from '../../domain/alert.ts';
import type { AlertsPort } from '../ports/alerts-port.ts';
import { isConditionalFailure, type DynamoOps } from './table-client.ts';
import { partitions } from './table-definition.ts';

export type SilenceItems = Pick<AlertsPort, 'saveSilence' | 'listSilences' | 'expireSilence'>;

export function createSilenceItems(ops: DynamoOps): SilenceItems {
  return {
    async saveSilence(silence) {
      await ops.put({ Item: { name: partitions.silences, sk: silence.id, endsAt: silence.endsAt, d: JSON.stringify(silence) } });
    },

    async listSilences({ activeAt } = {}) {
      const items = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'name' },
        ExpressionAttributeValues: { ':pk': partitions.silences },
        ConsistentRead: true, // a silence created through another instance holds at once
      });
      return items
        .map((item) => JSON.parse(String(item.d)) as Silence)
        .filter((silence) => activeAt === undefined || silence.endsAt > activeAt)
        .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
    },

    async expireSilence(id, at) {
      const item = await ops.get({ name: partitions.silences, sk: id }, { ConsistentRead: true });
      if (!item) return undefined;
      const silence = JSON.parse(String(item.d)) as Silence;
      if (silence.endsAt <= at) return silence;
      const expired = { ...silence, endsAt: at };
      try {
        await ops.update({
          Key: { name: partitions.silences, sk: id },
          UpdateExpression: 'SET #d = :d, #end = :at',
          ConditionExpression: '#end > :at', // two expiries at once: the earlier end wins
          ExpressionAttributeNames: { '#d': 'd', '#end': 'endsAt' },
          ExpressionAttributeValues: { ':d': JSON.stringify(expired), ':at': at },
        });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        const current = await ops.get({ name: partitions.silences, sk: id }, { ConsistentRead: true });
        return current ? (JSON.parse(String(current.d)) as Silence) : undefined;
      }
      return expired;
    },
  };
}
