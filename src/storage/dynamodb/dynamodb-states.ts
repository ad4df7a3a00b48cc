/**
 * Check states on DynamoDB: one item per check in the `status` partition, so the page reads all
 * states with one Query. States are written by the results port after the batch's results and
 * rollups (`StateItems.save`); the port itself reads. Writers that may race merge by
 * compare-and-set on the item's version (`ResultBatch.merge`).
 *
 * A merged save needs the stored item and its version. The store state authority has just read
 * every state (`readStates`) before it confirms and saves, so the items that read returned are
 * kept (per store, by check) and the first compare-and-set is made against them: one PutItem
 * per state instead of a GetItem and a PutItem. When another writer changed the item meanwhile
 * the condition fails and the save falls back to reading it, as before.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import type { StateMerge } from '../ports/results-port.ts';
import { DynamoStoreError, isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { partitions } from './table-definition.ts';

/** Compare-and-set attempts of one merged state before the write is reported as failed. */
const MERGE_ATTEMPTS = 20;

/** Reads and writes of state items, sharing what the last read (or write) saw. */
export interface StateItems {
  /** Every stored state (one Query); remembers each item's version. */
  readAll(): Promise<CheckState[]>;
  /**
   * Saves one state; returns the state written. Without `merge`, unless a newer one is stored
   * (conditional on its time). With `merge` (see `ResultBatch.merge`), by compare-and-set on the
   * item's version: merge onto the item last seen, put if the version is unchanged, else read
   * it, merge and try again.
   */
  save(state: CheckState, merge?: StateMerge): Promise<CheckState>;
}

/** What this store last saw of a state item: its version (undefined: written unversioned) and JSON. */
interface Seen {
  v: number | undefined;
  d: string;
}

export function createStateItems(ops: DynamoOps): StateItems {
  /** Items as last read or written by this store, by check. */
  let seen = new Map<string, Seen>();
  /** True while `seen` holds the whole partition as of the last `readAll` (a missing check had no item). */
  let complete = false;
  /** Checks whose item this store cannot know (written unversioned since): read before merging. */
  const unknown = new Set<string>();

  const seenOf = (item: Item): Seen => ({ v: item.v === undefined ? undefined : Number(item.v), d: String(item.d) });

  /** The item to merge onto first: the one last seen (`null`: known absent), else undefined (read it). */
  const lastSeen = (check: string): Seen | null | undefined => (unknown.has(check) ? undefined : (seen.get(check) ?? (complete ? null : undefined)));

  async function mergeState(incoming: CheckState, merge: StateMerge): Promise<CheckState> {
    let known = lastSeen(incoming.check);
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      if (known === undefined) {
        const item = await ops.get({ name: partitions.status, sk: incoming.check }, { ConsistentRead: true });
        known = item ? seenOf(item) : null;
      }
      const state = merge(known ? (JSON.parse(known.d) as CheckState) : undefined, incoming);
      const version = known?.v;
      const d = JSON.stringify(state);
      const v = (version ?? 0) + 1;
      try {
        await ops.put({
          Item: { name: partitions.status, sk: incoming.check, at: stampOf(state), v, d },
          // items written before versions existed (or by an unmerged save) have none
          ConditionExpression: !known ? 'attribute_not_exists(#sk)' : version === undefined ? 'attribute_not_exists(#v)' : '#v = :v',
          ExpressionAttributeNames: known ? { '#v': 'v' } : { '#sk': 'sk' },
          ...(version === undefined ? {} : { ExpressionAttributeValues: { ':v': version } }),
        });
        seen.set(incoming.check, { v, d });
        unknown.delete(incoming.check);
        return state;
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        // someone else wrote it since we saw it: read it again
        unknown.add(incoming.check);
        known = undefined;
      }
    }
    throw new DynamoStoreError(`state of ${incoming.check} changed under ${MERGE_ATTEMPTS} attempts to merge it`);
  }

  return {
    async readAll() {
      const items = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'name' },
        ExpressionAttributeValues: { ':pk': partitions.status },
      });
      seen = new Map();
      unknown.clear();
      for (const item of items) seen.set(String(item.sk), seenOf(item));
      complete = true;
      return items.map((item) => JSON.parse(String(item.d)) as CheckState);
    },
    async save(state, merge) {
      if (merge) return mergeState(state, merge);
      // Conditional on time so a slow writer never replaces a newer state with an older one.
      const stamp = stampOf(state);
      // an unmerged put may or may not land: the next merged save must read the item
      unknown.add(state.check);
      try {
        await ops.put({
          Item: { name: partitions.status, sk: state.check, at: stamp, d: JSON.stringify(state) },
          ConditionExpression: 'attribute_not_exists(#sk) OR #at <= :at',
          ExpressionAttributeNames: { '#sk': 'sk', '#at': 'at' },
          ExpressionAttributeValues: { ':at': stamp },
        });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
      return state;
    },
  };
}

const stampOf = (state: CheckState) => state.lastResult?.at ?? state.since;

/** The states port on DynamoDB. */
export function createDynamoStates(items: StateItems): StatesPort {
  return { readStates: () => items.readAll() };
}
