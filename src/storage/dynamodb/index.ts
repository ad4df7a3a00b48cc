/**
 * DynamoDB storage for the serverless mode.
 * @module
 */
export { createDynamoStore } from './dynamodb-store.ts';
export { tableDefinition } from './table-definition.ts';
export { ensureTable } from './ensure-table.ts';
export { DynamoStoreError, type DynamoDocumentLike } from './table-client.ts';
