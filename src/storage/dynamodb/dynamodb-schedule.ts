/**
 * The shared schedule on DynamoDB: one item per check in the `schedule` partition (sk = check).
 * A claim is a conditional update on the `nextDueAt` the claimer read (plus a free lease), so of
 * several instances that see the same due check exactly one advances it and wins.
 * @module
 */
import type { ClaimedCheck, SchedulePort } from '../ports/schedule-port.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import { isConditionalFailure, type DynamoOps } from './table-client.ts';
import { partitions } from './table-definition.ts';

const NAMES = { '#next': 'nextDueAt', '#until': 'leaseUntil' };
const LEASE_FREE = '(attribute_not_exists(#until) OR #until <= :now)';

/**
 * The schedule port on DynamoDB. `shard` gives a checker shard its own partition: its sync never
 * deletes another shard's entries and its claims read only its own.
 */
export function createDynamoSchedule(ops: DynamoOps, shard?: string): SchedulePort {
  const partition = shard === undefined ? partitions.schedule : partitions.scheduleShard(shard);
  const entries = (filter?: { now: number }) =>
    ops.query({
      KeyConditionExpression: '#pk = :pk',
      ...(filter ? { FilterExpression: `#next <= :now AND ${LEASE_FREE}` } : {}),
      ExpressionAttributeNames: filter ? { '#pk': 'name', ...NAMES } : { '#pk': 'name' },
      ExpressionAttributeValues: filter ? { ':pk': partition, ':now': filter.now } : { ':pk': partition },
    });

  return {
    async syncSchedule(wanted) {
      const existing = await entries();
      const keep = new Set(wanted.map((e) => e.check));
      const stored = new Map(existing.map((item) => [String(item.sk), Number(item.intervalMs)]));
      // Every cold start syncs: an entry already stored with its interval is left alone (its due
      // time and lease are the claims' business), so an unchanged config costs one Query.
      const changed = wanted.filter((entry) => stored.get(entry.check) !== entry.intervalMs);
      // One update both adds a new check and changes an existing one's interval, keeping its phase.
      await mapLimit(changed, 8, (entry) =>
        ops.update({
          Key: { name: partition, sk: entry.check },
          UpdateExpression: 'SET #interval = :interval, #next = if_not_exists(#next, :next)',
          ExpressionAttributeNames: { '#interval': 'intervalMs', '#next': 'nextDueAt' },
          ExpressionAttributeValues: { ':interval': entry.intervalMs, ':next': entry.nextDueAt },
        }),
      );
      await ops.batchWrite(existing.filter((item) => !keep.has(String(item.sk))).map((item) => ({ delete: { name: item.name, sk: item.sk } })));
    },

    // DynamoDB has no clock to ask; Lambda hosts keep their time synchronised by AWS
    readClock: async () => Date.now(),

    async claimDueChecks(owner, now, leaseMs, limit) {
      if (limit <= 0) return [];
      const due = (await entries({ now })).sort((a, b) => Number(a.nextDueAt) - Number(b.nextDueAt));
      const claimed: ClaimedCheck[] = [];
      while (claimed.length < limit && due.length > 0) {
        const wave = due.splice(0, limit - claimed.length);
        const won = await mapLimit(wave, 8, async (item): Promise<ClaimedCheck | undefined> => {
          const seen = Number(item.nextDueAt);
          const interval = Math.max(1, Number(item.intervalMs));
          // The latest slot of the check's phase that is due; the next one is after `now`.
          const dueAt = seen + Math.floor((now - seen) / interval) * interval;
          const leaseUntil = now + leaseMs;
          try {
            await ops.update({
              Key: { name: partition, sk: item.sk },
              UpdateExpression: 'SET #next = :advanced, #until = :until, #owner = :owner',
              ConditionExpression: `#next = :seen AND ${LEASE_FREE}`,
              ExpressionAttributeNames: { ...NAMES, '#owner': 'leaseOwner' },
              ExpressionAttributeValues: { ':advanced': dueAt + interval, ':until': leaseUntil, ':owner': owner, ':seen': seen, ':now': now },
            });
            return { check: String(item.sk), dueAt, leaseUntil };
          } catch (error) {
            if (isConditionalFailure(error)) return undefined;
            throw error;
          }
        });
        for (const entry of won) if (entry) claimed.push(entry);
      }
      return claimed;
    },
  };
}
