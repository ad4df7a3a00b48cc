/**
 * Check states on DynamoDB: one item per check in the `status` partition, so the page reads all
 * states with one Query. States are written by the results port after the batch's results and
 * rollups (`saveState`); the port itself reads. Writers that may race merge by compare-and-set
 * on the item's version (`ResultBatch.merge`).
 * @module
 */
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import type { StateMerge } from '../ports/results-port.ts';
import { DynamoStoreError, isConditionalFailure, type DynamoOps } from './table-client.ts';
import { partitions } from './table-definition.ts';

/** Compare-and-set attempts of one merged state before the write is reported as failed. */
const MERGE_ATTEMPTS = 20;

/**
 * Saves one state; returns the state written. Without `merge`, unless a newer one is stored
 * (conditional on its time). With `merge` (see `ResultBatch.merge`), by compare-and-set on the
 * item's version: read, merge, put if the version is unchanged, else read again.
 */
export async function saveState(ops: DynamoOps, state: CheckState, merge?: StateMerge): Promise<CheckState> {
  if (merge) return mergeState(ops, state, merge);
  // Conditional on time so a slow writer never replaces a newer state with an older one.
  const stamp = stampOf(state);
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
}

const stampOf = (state: CheckState) => state.lastResult?.at ?? state.since;

async function mergeState(ops: DynamoOps, incoming: CheckState, merge: StateMerge): Promise<CheckState> {
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const item = await ops.get({ name: partitions.status, sk: incoming.check }, { ConsistentRead: true });
    const state = merge(item ? (JSON.parse(String(item.d)) as CheckState) : undefined, incoming);
    const version = item?.v === undefined ? undefined : Number(item.v);
    try {
      await ops.put({
        Item: { name: partitions.status, sk: incoming.check, at: stampOf(state), v: (version ?? 0) + 1, d: JSON.stringify(state) },
        // items written before versions existed (or by an unmerged save) have none
        ConditionExpression: !item ? 'attribute_not_exists(#sk)' : version === undefined ? 'attribute_not_exists(#v)' : '#v = :v',
        ExpressionAttributeNames: item ? { '#v': 'v' } : { '#sk': 'sk' },
        ...(version === undefined ? {} : { ExpressionAttributeValues: { ':v': version } }),
      });
      return state;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
  throw new DynamoStoreError(`state of ${incoming.check} changed under ${MERGE_ATTEMPTS} attempts to merge it`);
}

/** The states port on DynamoDB. */
export function createDynamoStates(ops: DynamoOps): StatesPort {
  return {
    async readStates() {
      const items = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'name' },
        ExpressionAttributeValues: { ':pk': partitions.status },
      });
      return items.map((item) => JSON.parse(String(item.d)) as CheckState);
    },
  };
}
