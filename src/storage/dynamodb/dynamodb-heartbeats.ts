/**
 * Heartbeat pings on DynamoDB: only the latest ping per check is kept, in one item of the
 * `heartbeats` partition, and a late-arriving older ping never replaces a newer one.
 * @module
 */
import type { HeartbeatPing, HeartbeatsPort } from '../ports/heartbeats-port.ts';
import { isConditionalFailure, type DynamoOps } from './table-client.ts';
import { partitions } from './table-definition.ts';

/** The heartbeats port on DynamoDB. */
export function createDynamoHeartbeats(ops: DynamoOps): HeartbeatsPort {
  return {
    async recordHeartbeat(ping) {
      try {
        await ops.put({
          Item: { name: partitions.heartbeats, sk: ping.check, at: ping.at, ok: ping.ok, ...(ping.message === undefined ? {} : { message: ping.message }) },
          ConditionExpression: 'attribute_not_exists(#sk) OR #at < :at',
          ExpressionAttributeNames: { '#sk': 'sk', '#at': 'at' },
          ExpressionAttributeValues: { ':at': ping.at },
        });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error; // a newer ping is already stored
      }
    },

    async readLastHeartbeat(check) {
      const item = await ops.get({ name: partitions.heartbeats, sk: check });
      if (!item) return undefined;
      const ping: HeartbeatPing = { check, at: Number(item.at), ok: item.ok === true };
      if (typeof item.message === 'string') ping.message = item.message;
      return ping;
    },
  };
}
