/**
 * Check states on DynamoDB: one item per check in the `status` partition, so the page reads all
 * states with one Query. States are written by the results port after the batch's results and
 * rollups (`saveState`); the port itself reads.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';
import type { StatesPort } from '../ports/states-port.ts';
import { isConditionalFailure, type DynamoOps } from './table-client.ts';
import { partitions } from './table-definition.ts';

/** Saves one state unless a newer one is stored (conditional on its time). */
export async function saveState(ops: DynamoOps, state: CheckState): Promise<void> {
  // Conditional on time so a slow writer never replaces a newer state with an older one.
  const stamp = state.lastResult?.at ?? state.since;
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
