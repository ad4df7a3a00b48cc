/**
 * Alert records on DynamoDB, one item per alert in the `alerts` partition (sk = alert key).
 *
 * A transition must land together with its notifications. Instead of a multi-item transaction,
 * the notifications ride inside the alert item itself (attributes `o#<id>`), written by the same
 * conditional update that checks `version`: single-item writes are atomic, so either the record
 * and its notifications land, or nothing does. They are then relayed into the outbox
 * (idempotently) and removed from the alert item. A crash between the two leaves them in the
 * alert item, where the next claim finds and relays them: a transition never loses a message.
 * @module
 */
import type { AlertRecord, Notification } from '../../domain/alert.ts';
import type { AlertsPort } from '../ports/alerts-port.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import { isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { enqueueNotification } from './outbox-items.ts';
import { partitions } from './table-definition.ts';

/** The record half of the alerts port, plus the crash-recovery relay the outbox calls. */
export type AlertItems = Pick<AlertsPort, 'readAlerts' | 'applyAlertTransition'> & {
  /** Moves notifications still parked in alert items into the outbox. */
  relayStranded(): Promise<void>;
};

/** Prefix of the attributes that park a transition's notifications in its alert item. */
const PARKED = 'o#';

export function createAlertItems(ops: DynamoOps): AlertItems {
  const alertItems = () =>
    ops.query({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'name' },
      ExpressionAttributeValues: { ':pk': partitions.alerts },
    });

  const relay = async (key: string, notifications: readonly Notification[]) => {
    if (notifications.length === 0) return;
    await mapLimit(notifications, 8, (n) => enqueueNotification(ops, n));
    const names = Object.fromEntries(notifications.map((n, i) => [`#o${i}`, `${PARKED}${n.id}`]));
    await ops.update({
      Key: { name: partitions.alerts, sk: key },
      UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
      ExpressionAttributeNames: names,
    });
  };

  const parked = (item: Item) =>
    Object.entries(item)
      .filter(([name]) => name.startsWith(PARKED))
      .map(([, value]) => JSON.parse(String(value)) as Notification);

  return {
    async readAlerts() {
      return (await alertItems()).map((item) => JSON.parse(String(item.d)) as AlertRecord);
    },

    async applyAlertTransition({ record, fromVersion, notifications }) {
      const names: Record<string, string> = { '#d': 'd', '#v': 'v', '#sk': 'sk' };
      const values: Record<string, unknown> = { ':d': JSON.stringify(record), ':v': record.version };
      const sets = ['#d = :d', '#v = :v'];
      notifications.forEach((n, i) => {
        names[`#o${i}`] = `${PARKED}${n.id}`;
        values[`:o${i}`] = JSON.stringify(n);
        sets.push(`#o${i} = :o${i}`);
      });
      if (fromVersion !== 0) values[':from'] = fromVersion;
      try {
        await ops.update({
          Key: { name: partitions.alerts, sk: record.key },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: fromVersion === 0 ? 'attribute_not_exists(#sk)' : 'attribute_exists(#sk) AND #v = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        });
      } catch (error) {
        if (isConditionalFailure(error)) return false;
        throw error;
      }
      // The transition is committed; if relaying fails now, the next claim relays what is parked.
      await relay(record.key, notifications).catch(() => undefined);
      return true;
    },

    async relayStranded() {
      const items = await alertItems();
      await mapLimit(items, 4, (item) => relay(String(item.sk), parked(item)));
    },
  };
}
