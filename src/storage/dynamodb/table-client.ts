/**
 * The slice of the AWS SDK v3 DynamoDB document client that the DynamoDB store needs, and typed
 * helpers over it: paginated queries, chunked batch writes that retry unprocessed items, and
 * recognising a lost conditional write.
 * @module
 */
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type BatchWriteCommandInput,
  type DeleteCommandInput,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '../../kernel/map-limit.ts';

/**
 * The subset of `DynamoDBDocumentClient` that Upstate needs: sending commands (document commands
 * and the table-management commands of `@aws-sdk/client-dynamodb`), and optionally releasing
 * sockets. Any SDK v3 document client satisfies it, so tests hand in one aimed at dynalite.
 */
export interface DynamoDocumentLike {
  // The SDK's own `send` is a web of generics; commands are built and their outputs typed here.
  send(command: any): Promise<any>;
  destroy?(): void;
}

/** A DynamoDB request that failed for a reason other than a lost compare-and-set. */
export class DynamoStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoStoreError';
  }
}

/** An item as the document client returns it. */
export type Item = Record<string, unknown>;

/** BatchWriteItem accepts at most 25 requests per call. */
const BATCH_WRITE_LIMIT = 25;
/** How often unprocessed batch items are retried before the write is reported as failed. */
const BATCH_ATTEMPTS = 8;

/** True when the error is DynamoDB refusing a conditional write (someone else got there first). */
export function isConditionalFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** The name of an SDK error (`ResourceNotFoundException`, …), or undefined. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Typed operations on one table, bound to a (lazily created) client. */
export interface DynamoOps {
  readonly tableName: string;
  client(): DynamoDocumentLike;
  get(key: Item, options?: Omit<GetCommandInput, 'TableName' | 'Key'>): Promise<Item | undefined>;
  put(input: Omit<PutCommandInput, 'TableName'>): Promise<void>;
  /** Returns the attributes asked for with `ReturnValues`, if any. */
  update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined>;
  delete(input: Omit<DeleteCommandInput, 'TableName'>): Promise<void>;
  /** Every item matching the query, following `LastEvaluatedKey` (or stopping at `stopAfter` items). */
  query(input: Omit<QueryCommandInput, 'TableName'>, stopAfter?: number): Promise<Item[]>;
  /** Puts and deletes in chunks of 25, retrying unprocessed items with backoff. */
  batchWrite(requests: readonly BatchRequest[]): Promise<void>;
}

type BatchRequest = { put: Item } | { delete: Item };

/** Binds the helpers to a table; `resolve` is called on first use so factories stay lazy. */
export function createDynamoOps(tableName: string, resolve: () => DynamoDocumentLike): DynamoOps {
  const TableName = tableName;
  const send = async (command: unknown, what: string) => {
    try {
      return await resolve().send(command);
    } catch (error) {
      if (isConditionalFailure(error)) throw error;
      throw new DynamoStoreError(`DynamoDB ${what} on ${tableName} failed: ${(error as Error)?.message ?? error}`, { cause: error });
    }
  };
  const writeChunk = async (chunk: BatchWriteCommandInput['RequestItems'] & object) => {
    let pending = chunk[TableName];
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) {
        throw new DynamoStoreError(`DynamoDB BatchWriteItem on ${tableName}: ${pending.length} items still unprocessed after ${BATCH_ATTEMPTS} attempts`);
      }
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const out = await send(new BatchWriteCommand({ RequestItems: { [TableName]: pending } }), 'BatchWriteItem');
      pending = out.UnprocessedItems?.[TableName];
    }
  };
  return {
    tableName,
    client: resolve,
    async get(Key, options) {
      const out = await send(new GetCommand({ TableName, Key, ConsistentRead: true, ...options }), 'GetItem');
      return out.Item as Item | undefined;
    },
    async put(input) {
      await send(new PutCommand({ TableName, ...input }), 'PutItem');
    },
    async update(input) {
      const out = await send(new UpdateCommand({ TableName, ...input }), 'UpdateItem');
      return out.Attributes as Item | undefined;
    },
    async delete(input) {
      await send(new DeleteCommand({ TableName, ...input }), 'DeleteItem');
    },
    async query(input, stopAfter = Number.POSITIVE_INFINITY) {
      const items: Item[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await send(new QueryCommand({ TableName, ConsistentRead: true, ...input, ExclusiveStartKey: start }), 'Query');
        items.push(...((out.Items ?? []) as Item[]));
        start = out.LastEvaluatedKey;
      } while (start && items.length < stopAfter);
      return items;
    },
    async batchWrite(requests) {
      // DynamoDB rejects a batch naming one key twice: the last request for a key wins, as it would in sequence.
      const byKey = new Map<string, BatchRequest>();
      for (const request of requests) {
        const item = 'put' in request ? request.put : request.delete;
        byKey.set(`${item.name}\u0000${item.sk}`, request);
      }
      const all = [...byKey.values()].map((request) =>
        'put' in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: { name: request.delete.name, sk: request.delete.sk } } },
      );
      const chunks: (typeof all)[] = [];
      for (let i = 0; i < all.length; i += BATCH_WRITE_LIMIT) chunks.push(all.slice(i, i + BATCH_WRITE_LIMIT));
      await mapLimit(chunks, 4, (chunk) => writeChunk({ [TableName]: chunk }));
    },
  };
}
