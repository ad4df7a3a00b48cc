/**
 * Creates the store's table when it is missing and checks its key schema when it exists. In AWS
 * the CloudFormation stack owns the table and this only costs one DescribeTable; locally and in
 * tests it creates the table from the same `tableDefinition()`.
 * @module
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type DescribeTableCommandOutput,
  type DescribeTimeToLiveCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { DynamoStoreError, errorName, type DynamoDocumentLike } from './table-client.ts';
import { HASH_KEY, RANGE_KEY, tableDefinition } from './table-definition.ts';

const POLL_MS = 100;

/**
 * Makes sure `tableName` exists, is ACTIVE, has the store's key schema and (where the endpoint
 * supports it) TTL enabled. Idempotent and safe when several processes race to create it.
 */
export async function ensureTable(client: DynamoDocumentLike, tableName: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const definition = tableDefinition(tableName);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let table = await describe(client, tableName);
  if (!table) {
    try {
      await client.send(new CreateTableCommand(definition.createTable));
    } catch (error) {
      // Another process created it between our describe and create: fine, wait for it below.
      if (errorName(error) !== 'ResourceInUseException') {
        throw new DynamoStoreError(`cannot create DynamoDB table ${tableName}`, { cause: error });
      }
    }
  }
  for (;;) {
    table = await describe(client, tableName);
    if (table?.TableStatus === 'ACTIVE') break;
    if (Date.now() > deadline) throw new DynamoStoreError(`DynamoDB table ${tableName} is not ACTIVE (${table?.TableStatus ?? 'missing'})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const keys = (table.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).sort().join(',');
  const expected = [`${HASH_KEY}:HASH`, `${RANGE_KEY}:RANGE`].sort().join(',');
  if (keys !== expected) {
    throw new DynamoStoreError(`DynamoDB table ${tableName} has keys ${keys}; Upstate needs ${expected} (see docs/dynamodb.md)`);
  }
  await enableTtl(client, tableName, definition.ttlAttribute);
}

async function describe(client: DynamoDocumentLike, tableName: string): Promise<DescribeTableCommandOutput['Table']> {
  try {
    const out = (await client.send(new DescribeTableCommand({ TableName: tableName }))) as DescribeTableCommandOutput;
    return out.Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw new DynamoStoreError(`cannot describe DynamoDB table ${tableName}`, { cause: error });
  }
}

async function enableTtl(client: DynamoDocumentLike, tableName: string, attribute: string): Promise<void> {
  try {
    const out = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))) as DescribeTimeToLiveCommandOutput;
    const status = out.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === 'ENABLED' || status === 'ENABLING') return;
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }));
  } catch (error) {
    // Local emulators (dynalite) do not implement UpdateTimeToLive; retention deletes explicitly anyway.
    if (errorName(error) === 'UnknownOperationException') return;
    throw new DynamoStoreError(`cannot enable TTL on DynamoDB table ${tableName}`, { cause: error });
  }
}
