/**
 * The shared schedule on DynamoDB: one item per check in the `schedule` partition (sk = check,
 * holding its interval and a slot of its phase, `nextDueAt`), and one cursor item per partition
 * (`schedule-cursor`, sk = the partition) saying up to when its slots have been claimed.
 *
 * A claim takes the whole window from the cursor to `now` at once: it reads the cursor and the
 * entries, works out which checks have a slot in (cursor, now] — each once, at its latest slot,
 * so a long outage causes no burst of catch-up runs — and moves the cursor to `now` by a
 * conditional update on the cursor it read. Of several containers claiming at once exactly one
 * moves it; the others read it again and take the window after it. So each slot of each check is
 * claimed by exactly one caller, for three requests per round (GetItem, Query, UpdateItem)
 * instead of one conditional UpdateItem per check. Entries are written only by `syncSchedule`.
 * @module
 */
import type { ClaimedCheck, SchedulePort } from '../ports/schedule-port.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import { DynamoStoreError, isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { partitions } from './table-definition.ts';

/** Claim attempts lost to other containers before the round gives up (it claims nothing then). */
const CLAIM_ATTEMPTS = 10;

/** A due slot of one entry. */
interface Due {
  check: string;
  dueAt: number;
}

/**
 * The latest slot of the entry's phase at or before `now`, when it is after `from` (the cursor;
 * undefined: nothing claimed yet), else undefined.
 */
function dueSlot(item: Item, from: number | undefined, now: number): Due | undefined {
  const first = Number(item.nextDueAt);
  const interval = Math.max(1, Number(item.intervalMs));
  if (!Number.isFinite(first) || first > now) return undefined;
  const dueAt = first + Math.floor((now - first) / interval) * interval;
  return from === undefined || dueAt > from ? { check: String(item.sk), dueAt } : undefined;
}

/**
 * The schedule port on DynamoDB. `shard` gives a checker shard its own partition (and cursor):
 * its sync never deletes another shard's entries and its claims read only its own.
 */
export function createDynamoSchedule(ops: DynamoOps, shard?: string): SchedulePort {
  const partition = shard === undefined ? partitions.schedule : partitions.scheduleShard(shard);
  const cursorKey = { name: partitions.scheduleCursor, sk: partition };
  const entries = () =>
    ops.query({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'name' },
      ExpressionAttributeValues: { ':pk': partition },
    });

  return {
    async syncSchedule(wanted) {
      const existing = await entries();
      const keep = new Set(wanted.map((e) => e.check));
      const stored = new Map(existing.map((item) => [String(item.sk), Number(item.intervalMs)]));
      // Every cold start syncs: an entry already stored with its interval is left alone, so an
      // unchanged config costs one Query.
      const changed = wanted.filter((entry) => stored.get(entry.check) !== entry.intervalMs);
      // One update both adds a new check and changes an existing one's interval. A changed interval
      // takes the slot of its new phase (every container derives it from the interval): keeping the
      // old slot would leave a check shortened from 1 h to 1 min waiting up to an hour. Claims never
      // write entries (they move the cursor), so the new slot is simply claimed once the cursor passes it.
      await mapLimit(changed, 8, (entry) =>
        ops.update({
          Key: { name: partition, sk: entry.check },
          UpdateExpression: 'SET #interval = :interval, #next = :next',
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
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        const cursor = await ops.get(cursorKey);
        const from = cursor === undefined ? undefined : Number(cursor.until);
        // a caller whose clock is behind the cursor has nothing to claim (and must not move it back)
        if (from !== undefined && from >= now) return [];
        const due = (await entries())
          .map((item) => dueSlot(item, from, now))
          .filter((slot): slot is Due => slot !== undefined)
          .sort((a, b) => a.dueAt - b.dueAt || (a.check < b.check ? -1 : 1));
        // more than `limit` due: claim the earliest slots only, the cursor stops before the first left
        // (slots sharing that millisecond go with the next claim; if all share it, they go now)
        let until = now;
        let claimed = due;
        if (due.length > limit) {
          const cut = due[limit].dueAt;
          claimed = due.filter((slot) => slot.dueAt < cut);
          if (claimed.length) until = cut - 1;
          else claimed = due;
        }
        try {
          await ops.update({
            Key: cursorKey,
            UpdateExpression: 'SET #until = :until, #owner = :owner',
            ConditionExpression: cursor === undefined ? 'attribute_not_exists(#until)' : '#until = :from',
            ExpressionAttributeNames: { '#until': 'until', '#owner': 'owner' },
            ExpressionAttributeValues: { ':until': until, ':owner': owner, ...(cursor === undefined ? {} : { ':from': cursor.until }) },
          });
        } catch (error) {
          if (isConditionalFailure(error)) continue; // another container claimed meanwhile: read again
          throw error;
        }
        const leaseUntil = now + leaseMs;
        return claimed.map((slot) => ({ ...slot, leaseUntil }) satisfies ClaimedCheck);
      }
      throw new DynamoStoreError(`schedule ${partition}: the claim cursor moved under ${CLAIM_ATTEMPTS} attempts`);
    },
  };
}
