/**
 * Result writes on DynamoDB are idempotent: a batch written twice (a replay) or a rollup update
 * whose reply was lost and which the SDK retried counts once, on a real dynalite (the lost reply
 * is produced by a proxy that cuts the connection after DynamoDB applied the update).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startDynalite, type LocalDynamo } from '../../../test/support/dynalite.ts';
import { startLossyProxy, type LossyProxy } from '../../../test/support/lossy-proxy.ts';
import { createDynamoStore } from './index.ts';
import { partitions, rollupKey } from './table-definition.ts';
import type { Store } from '../store.ts';
import type { CheckResult } from '../../domain/result.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1, 10);

const clientFor = (endpoint: string) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

const results = (check: string, from: number, count: number, region?: string): CheckResult[] =>
  Array.from({ length: count }, (_, i) => ({
    check,
    at: from + i * 60_000,
    status: i % 4 === 3 ? 'down' : 'up',
    latencyMs: 10 + i,
    statusCode: i % 4 === 3 ? 503 : 200,
    ...(region ? { region } : {}),
  }));

describe('DynamoDB result writes are idempotent (dynalite)', () => {
  let dynamo: LocalDynamo;
  let proxy: LossyProxy;
  let store: Store;
  let tables = 0;
  const stores: Store[] = [];
  const tableNames = new Map<Store, string>();
  const open = async (endpoint: string, tableName = `idem-${process.pid}-${++tables}`) => {
    const s = createDynamoStore({ tableName, client: () => clientFor(endpoint) });
    stores.push(s);
    tableNames.set(s, tableName);
    await s.migrate();
    return s;
  };
  const hour = async (s: Store, check: string, start = T0) => (await s.readRollups([check], 'hour', start, start + HOUR))[0];
  const day = async (s: Store, check: string) => (await s.readRollups([check], 'day', T0 - 10 * HOUR, T0 + 14 * HOUR))[0];

  before(async () => {
    dynamo = await startDynalite();
    proxy = await startLossyProxy(dynamo.endpoint);
    store = await open(dynamo.endpoint);
  });
  after(async () => {
    for (const s of stores) await s.close();
    await proxy?.close();
    await dynamo?.stop();
  });

  it('a replayed batch does not double-count its rollups', async () => {
    const batch = { results: results('replayed', T0, 20), states: [] };
    await store.recordResults(batch);
    await store.recordResults(batch);
    await store.recordResults(structuredClone(batch));
    const h = await hour(store, 'replayed');
    assert.deepEqual([h.count, h.ok, h.http5xx, h.latencySum], [20, 15, 5, 20 * 10 + (19 * 20) / 2]);
    assert.equal((await day(store, 'replayed')).count, 20);
    assert.equal((await store.readResults('replayed', T0, T0 + HOUR)).length, 20);
  });

  it('a batch that overlaps one already written counts only its new results', async () => {
    const all = results('overlap', T0, 30);
    await store.recordResults({ results: all.slice(0, 20), states: [] });
    await store.recordResults({ results: all.slice(10, 30), states: [] });
    const h = await hour(store, 'overlap');
    assert.equal(h.count, 30);
    assert.equal(h.latencyMax, 39);
    assert.equal(h.histogram.reduce((a, b) => a + b, 0), 30);
  });

  it('an update whose reply was lost and which the SDK retried counts once', async () => {
    const lossy = await open(proxy.endpoint);
    proxy.loseReplies('UpdateItem', 2); // the hour and the day bucket: both applied, both unanswered
    await lossy.recordResults({ results: results('lost-reply', T0, 10), states: [] });
    assert.equal(proxy.lost(), 2, 'two replies were lost and retried');
    assert.equal((await hour(lossy, 'lost-reply')).count, 10);
    assert.equal((await day(lossy, 'lost-reply')).count, 10);
  });

  it('different writers still add up, out of order and per region', async () => {
    const other = await open(dynamo.endpoint, tableNames.get(store)); // a second writer on the same table
    // two regions report the same minutes; a late writer's older results arrive after newer ones
    await store.recordResults({ results: results('regions', T0 + 30 * 60_000, 10, 'eu'), states: [] });
    await other.recordResults({ results: results('regions', T0, 10, 'eu'), states: [] });
    await store.recordResults({ results: results('regions', T0, 10, 'us'), states: [] });
    await other.recordResults({ results: results('regions', T0, 10, 'us'), states: [] }); // replay
    assert.equal((await hour(store, 'regions')).count, 30);
  });

  it('the per-result markers stay bounded: old ones are pruned, the item stays under 1 KB', async () => {
    // a day of one-minute results in small batches, as the checker writes them
    const day1 = results('long', Date.UTC(2026, 5, 2), 1440);
    for (let i = 0; i < day1.length; i += 10) await store.recordResults({ results: day1.slice(i, i + 10), states: [] });
    const tableName = tableNames.get(store)!;
    const client = clientFor(dynamo.endpoint);
    try {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: { name: partitions.rollups('long'), sk: rollupKey('day', Date.UTC(2026, 5, 2)) } }));
      const item = out.Item ?? {};
      assert.equal(item.n, 1440);
      const markers = Object.keys(item).filter((k) => k.startsWith('r'));
      assert.ok(markers.length <= 60, `${markers.length} markers kept`);
      const bytes = Object.entries(item).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
      assert.ok(bytes < 1024, `day item is about ${bytes} bytes`);
    } finally {
      client.destroy();
    }
  });
});
