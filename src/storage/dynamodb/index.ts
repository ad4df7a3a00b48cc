/**
 * DynamoDB storage for the serverless mode.
 * @module
 */
export { createDynamoStore, type DynamoStoreOptions } from './dynamodb-store.ts';
export { tableDefinition, TTL_ATTRIBUTE, HASH_KEY, RANGE_KEY, type DynamoTableDefinition } from './table-definition.ts';
export { ensureTable } from './ensure-table.ts';
export { DynamoStoreError, type DynamoDocumentLike } from './table-client.ts';
