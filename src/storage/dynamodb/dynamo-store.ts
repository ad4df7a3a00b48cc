/**
 * The DynamoDB `Store` (serverless mode): one on-demand table, keyed `name` + `sk`, queried only
 * on known partitions. See docs/dynamodb.md for the table design.
 * @module
 */
import type { Store } from '../store.ts';
import { createDynamoOps, type DynamoDocumentLike } from './dynamo-client.ts';
import { ensureTable } from './ensure-table.ts';
import { createDynamoResults } from './dynamo-results.ts';
import { createDynamoHeartbeats } from './dynamo-heartbeats.ts';
import { createDynamoCredentials } from './dynamo-credentials.ts';
import { createDynamoIncidents } from './dynamo-incidents.ts';
import { createDynamoAlerts } from './dynamo-alerts.ts';
import { createDynamoOutbox } from './dynamo-outbox.ts';
import { createDynamoSchedule } from './dynamo-schedule.ts';

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
}

/** Creates a `Store` over one DynamoDB table (created by `migrate()` when missing). */
export function createDynamoStore(options: DynamoStoreOptions): Store {
  const { tableName } = options;
  const factory = typeof options.client === 'function' ? options.client : undefined;
  let client = factory ? undefined : (options.client as DynamoDocumentLike);
  const resolve = () => (client ??= factory!());
  const ops = createDynamoOps(tableName, resolve);
  const alerts = createDynamoAlerts(ops);

  return {
    async migrate() {
      await ensureTable(resolve(), tableName);
    },
    async close() {
      // Every write is awaited by its caller, so there is nothing buffered to flush.
      if (factory && client) client.destroy?.();
      if (factory) client = undefined;
    },
    ...createDynamoResults(ops, { rawRetentionMs: options.rawRetentionMs, now: options.now ?? Date.now }),
    ...createDynamoHeartbeats(ops),
    ...createDynamoCredentials(ops),
    ...createDynamoIncidents(ops),
    readAlerts: alerts.readAlerts,
    applyAlertTransition: alerts.applyAlertTransition,
    ...createDynamoOutbox(ops, alerts.relayStranded),
    ...createDynamoSchedule(ops),
  };
}
