/**
 * Admin sessions on DynamoDB: one item per session in the `sessions` partition, keyed by the
 * hash of its id, carrying the table's TTL attribute so DynamoDB deletes it after expiry at no
 * cost. Reads are strongly consistent: a logout must end the session at once everywhere.
 * @module
 */
import type { Session, SessionsPort } from '../ports/sessions-port.ts';
import type { DynamoOps, Item } from './table-client.ts';
import { partitions, TTL_ATTRIBUTE } from './table-definition.ts';

const sessionKey = (idHash: string) => ({ name: partitions.sessions, sk: idHash });

function toSession(item: Item): Session {
  return { idHash: String(item.sk), subject: String(item.subject), createdAt: Number(item.createdAt), expiresAt: Number(item.expiresAtMs) };
}

/** The sessions port on DynamoDB. */
export function createDynamoSessions(ops: DynamoOps): SessionsPort {
  return {
    async createSession(session) {
      await ops.put({
        Item: {
          ...sessionKey(session.idHash),
          subject: session.subject,
          createdAt: session.createdAt,
          expiresAtMs: session.expiresAt,
          // TTL deletion runs late (up to days), so reads also compare expiresAtMs
          [TTL_ATTRIBUTE]: Math.ceil(session.expiresAt / 1000),
        },
      });
    },
    async findSession(idHash, now) {
      const item = await ops.get(sessionKey(idHash));
      return item && Number(item.expiresAtMs) > now ? toSession(item) : undefined;
    },
    async endSession(idHash) {
      await ops.delete({ Key: sessionKey(idHash) });
    },
    async pruneSessions(now) {
      // TTL removes expired sessions for free; this only catches those it has not reached yet
      const expired = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#exp <= :now',
        ExpressionAttributeNames: { '#pk': 'name', '#exp': 'expiresAtMs' },
        ExpressionAttributeValues: { ':pk': partitions.sessions, ':now': now },
      });
      await ops.batchWrite(expired.map((item) => ({ delete: sessionKey(String(item.sk)) })));
      return expired.length;
    },
  };
}
