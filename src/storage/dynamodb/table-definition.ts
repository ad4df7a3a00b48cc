/**
 * The single-table design of the DynamoDB store: the key schema, the TTL attribute and how every
 * kind of item is keyed. Tests, `ensureTable` and the CloudFormation template all start from
 * `tableDefinition()`, so the deployed table and the tested one cannot drift apart.
 * See docs/dynamodb.md for item shapes and access patterns.
 * @module
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Resolution } from '../../domain/rollup.ts';

/** Hash key: kept from the reference design, where it held the service (check) name. */
export const HASH_KEY = 'name';
/** Range key: what the item is inside its partition (a check name, a time, an id). */
export const RANGE_KEY = 'sk';
/** Epoch seconds after which DynamoDB's TTL may delete the item (raw results and sessions). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** What a table for the store must look like. */
export interface DynamoTableDefinition {
  /** Input for `CreateTableCommand` (and the shape of the CloudFormation `AWS::DynamoDB::Table`). */
  createTable: CreateTableCommandInput;
  /** Attribute to enable TTL on (`TimeToLiveSpecification.AttributeName`). */
  ttlAttribute: string;
}

/** The table the DynamoDB store expects: string `name` + `sk`, on-demand, no secondary index. */
export function tableDefinition(tableName: string): DynamoTableDefinition {
  return {
    createTable: {
      TableName: tableName,
      KeySchema: [
        { AttributeName: HASH_KEY, KeyType: 'HASH' },
        { AttributeName: RANGE_KEY, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: HASH_KEY, AttributeType: 'S' },
        { AttributeName: RANGE_KEY, AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    },
    ttlAttribute: TTL_ATTRIBUTE,
  };
}

/**
 * Partition (hash key) names. Fixed partitions contain no `#`, per-check partitions are
 * `<kind>#<check>`, so no check name can collide with another partition.
 */
export const partitions = {
  /** Current state of every check, one item per check (sk = check name): one Query for the page. */
  status: 'status',
  /** Index of every check that has raw results (sk = check name), walked by retention. */
  checks: 'checks',
  heartbeats: 'heartbeats',
  credentials: 'credentials',
  incidents: 'incidents',
  alerts: 'alerts',
  outbox: 'outbox',
  /** Alert silences, sk = id. */
  silences: 'silences',
  schedule: 'schedule',
  /** How far each schedule partition has been claimed, sk = the schedule partition's name. */
  scheduleCursor: 'schedule-cursor',
  /** Admin sessions, sk = hex SHA-256 of the session id. */
  sessions: 'sessions',
  /** Email subscribers, sk = subscriber id (derived from the address). */
  subscribers: 'subscribers',
  /** Notices sent once (maintenance start and end), sk = notice key; removed by TTL. */
  noticeClaims: 'notice-claims',
  /** The shared schedule of one checker shard (`<index>of<count>`), when the checks are split. */
  scheduleShard: (shard: string) => `schedule#${shard}`,
  /** Raw results of one check, sk = `<at>#<region>`. */
  results: (check: string) => `results#${check}`,
  /** Hourly and daily rollups of one check, sk = `<resolution>#<start>`. */
  rollups: (check: string) => `rollups#${check}`,
} as const;

/** Epoch ms as a fixed-width string, so string order on the range key is time order. */
export function timeKey(ms: number): string {
  return String(Math.max(0, Math.trunc(ms))).padStart(15, '0');
}

/** Range key of a raw result. */
export function resultKey(at: number, region: string | undefined): string {
  return `${timeKey(at)}#${region ?? ''}`;
}

/** Range key of a rollup bucket. */
export function rollupKey(resolution: Resolution, start: number): string {
  return `${resolution}#${timeKey(start)}`;
}
