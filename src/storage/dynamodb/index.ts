/**
 * DynamoDB storage for the serverless mode.
 * @module
 */
export { createDynamoStore, type DynamoStoreOptions } from './dynamo-store.js';
export { tableDefinition, TTL_ATTRIBUTE, HASH_KEY, RANGE_KEY, type DynamoTableDefinition } from './table-definition.js';
export { ensureTable } from './ensure-table.js';
export { DynamoStoreError, type DynamoDocumentLike } from './dynamo-client.js';
