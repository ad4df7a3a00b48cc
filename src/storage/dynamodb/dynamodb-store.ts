/**
 * The DynamoDB `Store` (serverless mode): one on-demand table, keyed `name` + `sk`, queried only
 * on known partitions. It implements every port, one file each (dynamodb-<port>.ts), including
 * the shared schedule the checker Lambda claims from. See docs/dynamodb.md for the table design.
 * @module
 */
import type { Store } from '../store.ts';
import { createDynamoOps, type DynamoDocumentLike } from './table-client.ts';
import { ensureTable } from './ensure-table.ts';
import { createDynamoAlerts } from './dynamodb-alerts.ts';
import { createDynamoCredentials } from './dynamodb-credentials.ts';
import { createDynamoHeartbeats } from './dynamodb-heartbeats.ts';
import { createDynamoIncidents } from './dynamodb-incidents.ts';
import { createDynamoResults } from './dynamodb-results.ts';
import { createDynamoSchedule } from './dynamodb-schedule.ts';
import { createDynamoStates, createStateItems } from './dynamodb-states.ts';
import { createDynamoSessions } from './dynamodb-sessions.ts';
import { createDynamoSubscriptions } from './dynamodb-subscriptions.ts';

export interface DynamoStoreOptions {
  tableName: string;
  /**
   * A document client, or a factory called on first use (so a Lambda cold start that never
   * touches the store never builds one). A client made by the factory is destroyed on `close()`;
   * one handed in belongs to the caller.
   */
  client: DynamoDocumentLike | (() => DynamoDocumentLike);
  /** Raw retention; when set, raw results get a TTL so DynamoDB expires them at no cost. */
  rawRetentionMs?: number;
  /** Clock used to hide TTL-expired items before DynamoDB deletes them; defaults to Date.now. */
  now?: () => number;
  /** A checker shard's own schedule partition (`<index>of<count>`); absent: the shared one. */
  scheduleShard?: string;
}

/** Creates a `Store` over one DynamoDB table (created by `migrate()` when missing). */
export function createDynamoStore(options: DynamoStoreOptions): Store {
  const { tableName } = options;
  const factory = typeof options.client === 'function' ? options.client : undefined;
  let client = factory ? undefined : (options.client as DynamoDocumentLike);
  const resolve = () => (client ??= factory!());
  const ops = createDynamoOps(tableName, resolve);
  // shared by the states port (reads) and the results port (writes): see dynamodb-states.ts
  const stateItems = createStateItems(ops);

  return {
    async migrate() {
      await ensureTable(resolve(), tableName);
    },
    async close() {
      // Every write is awaited by its caller, so there is nothing buffered to flush.
      if (factory && client) client.destroy?.();
      if (factory) client = undefined;
    },
    ...createDynamoResults(ops, stateItems, { rawRetentionMs: options.rawRetentionMs, now: options.now ?? Date.now }),
    ...createDynamoStates(stateItems),
    ...createDynamoAlerts(ops),
    ...createDynamoCredentials(ops),
    ...createDynamoIncidents(ops),
    ...createDynamoHeartbeats(ops),
    ...createDynamoSchedule(ops, options.scheduleShard),
    ...createDynamoSessions(ops),
    ...createDynamoSubscriptions(ops),
  };
}
