import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { storeSuites } from '../../../test/support/store-suite.ts';
import type { Store } from '../store.ts';
import { startDynalite, type LocalDynamo } from '../../../test/support/dynalite.ts';
import { createDynamoStore, DynamoStoreError, ensureTable, tableDefinition, type DynamoDocumentLike } from './index.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { Notification } from '../../domain/alert.ts';
import type { Incident } from '../../domain/incident.ts';

/** Forwards to a real client and records which commands were sent. */
function recording(inner: DynamoDocumentLike) {
  const sent: string[] = [];
  const client: DynamoDocumentLike = {
    send(command) {
      sent.push(command.constructor.name);
      return inner.send(command);
    },
    destroy: () => inner.destroy?.(),
  };
  return { client, sent };
}

/** A document client aimed at the local endpoint, with dummy credentials. */
function clientFor(endpoint: string) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
}

/** One dynalite per file, started by the first harness and stopped by the last cleanup. */
let dynamo: LocalDynamo | undefined;
let users = 0;
let tables = 0;

async function openHarness() {
  dynamo ??= await startDynalite();
  users++;
  const endpoint = dynamo.endpoint;
  const tableName = `upstate-test-${++tables}`;
  const open = () => createDynamoStore({ tableName, client: () => clientFor(endpoint) });
  const stores: Store[] = [];
  const track = (store: Store) => (stores.push(store), store);
  let store = track(open());
  return {
    store,
    tableName,
    async reopen() {
      await store.close();
      store = track(open());
      return store;
    },
    async second() {
      return track(open());
    },
    async cleanup() {
      for (const s of stores) await s.close();
      if (--users === 0) {
        await dynamo?.stop();
        dynamo = undefined;
      }
    },
  };
}

// DynamoDB serves the serverless mode: every port, each suite on a table of its own
storeSuites('dynamodb', openHarness);

describe('DynamoDB store specifics', () => {
  let harness: Awaited<ReturnType<typeof openHarness>>;
  let store: Store;
  before(async () => {
    harness = await openHarness();
    store = harness.store;
    await store.migrate();
  });
  after(() => harness.cleanup());

  it('creates the table from tableDefinition and leaves an existing one alone', async () => {
    const def = tableDefinition('t-check');
    assert.deepEqual(def.createTable.KeySchema?.map((k) => [k.AttributeName, k.KeyType]), [['name', 'HASH'], ['sk', 'RANGE']]);
    assert.equal(def.createTable.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(def.ttlAttribute, 'expiresAt');
    const client = clientFor(dynamo!.endpoint);
    try {
      await ensureTable(client, harness.tableName); // exists: no error
      await assert.rejects(
        () => ensureTable(client, 'x' /* too short for DynamoDB */),
        (error: unknown) => error instanceof DynamoStoreError && (error.cause as Error)?.name === 'ValidationException',
      );
    } finally {
      client.destroy();
    }
  });

  it('chunks batches past 25 items and merges concurrent rollup writers', async () => {
    const at = Date.UTC(2026, 2, 1, 10, 0, 0);
    const results = (writer: number): CheckResult[] =>
      Array.from({ length: 40 }, (_, i) => ({ check: 'busy', at: at + writer * 100_000 + i * 1000, status: 'up', latencyMs: 10 + writer * 100 + i }));
    const other = await harness.second();
    await Promise.all([
      store.recordResults({ results: results(0), states: [] }),
      other.recordResults({ results: results(1), states: [] }),
    ]);
    assert.equal((await store.readResults('busy', at, at + 3_600_000)).length, 80);
    const [hour] = await store.readRollups(['busy'], 'hour', at, at + 3_600_000);
    assert.equal(hour.count, 80, 'ADD merges both writers');
    assert.equal(hour.latencyMin, 10);
    assert.equal(hour.latencyMax, 149);
    assert.equal(hour.histogram.reduce((a, b) => a + b, 0), 80);
    await other.close();
  });

  it('widens a stored bucket\'s min and max when a later batch goes past them', async () => {
    const at = Date.UTC(2026, 4, 1);
    const r = (latencyMs: number, i: number): CheckResult => ({ check: 'wide', at: at + i, status: 'up', latencyMs });
    await store.recordResults({ results: [r(50, 0), r(60, 1)], states: [] });
    await store.recordResults({ results: [r(20, 2), r(90, 3)], states: [] });
    await store.recordResults({ results: [r(30, 4), r(70, 5)], states: [] }); // inside: no change
    const [hour] = await store.readRollups(['wide'], 'hour', at, at + 3_600_000);
    assert.deepEqual([hour.count, hour.latencyMin, hour.latencyMax, hour.latencySum], [6, 20, 90, 320]);
  });

  it('never lets an older state replace a newer one', async () => {
    const newer: CheckResult = { check: 'st', at: 2000, status: 'down', latencyMs: 1 };
    const older: CheckResult = { check: 'st', at: 1000, status: 'up', latencyMs: 1 };
    await store.recordResults({ results: [newer], states: [{ check: 'st', status: 'down', since: 2000, lastResult: newer, streak: 0 }] });
    await store.recordResults({ results: [older], states: [{ check: 'st', status: 'up', since: 1000, lastResult: older, streak: 0 }] });
    assert.equal((await store.readStates()).find((s) => s.check === 'st')?.status, 'down');
  });

  it('hides raw results whose TTL has passed even before DynamoDB deletes them', async () => {
    let now = Date.UTC(2026, 5, 1);
    const ttlStore = createDynamoStore({ tableName: harness.tableName, client: () => clientFor(dynamo!.endpoint), rawRetentionMs: 60_000, now: () => now });
    try {
      await ttlStore.recordResults({ results: [{ check: 'ttl', at: now - 30_000, status: 'up', latencyMs: 5 }], states: [] });
      assert.equal((await ttlStore.readRecentResults('ttl', { limit: 5 })).length, 1);
      now += 60_000;
      assert.equal((await ttlStore.readRecentResults('ttl', { limit: 5 })).length, 0);
      assert.equal((await ttlStore.readResults('ttl', 0, now)).length, 0);
    } finally {
      await ttlStore.close();
    }
  });

  it('reads the page path with Query only, one request per partition', async () => {
    const { client, sent } = recording(clientFor(dynamo!.endpoint));
    const reader = createDynamoStore({ tableName: harness.tableName, client });
    const at = Date.UTC(2026, 2, 1);
    await reader.recordResults({
      results: ['p1', 'p2', 'p3'].map((check): CheckResult => ({ check, at, status: 'up', latencyMs: 3 })),
      states: [],
    });
    sent.length = 0;
    await reader.readStates();
    await reader.readRollups(['p1', 'p2', 'p3'], 'day', at, at + 86_400_000);
    await reader.readRecentResults('p1', { limit: 50 });
    await reader.listIncidents();
    assert.deepEqual(sent, Array(6).fill('QueryCommand'));
    client.destroy?.();
  });

  it('retries items DynamoDB leaves unprocessed in a batch write', async () => {
    const real = clientFor(dynamo!.endpoint);
    let throttled = 0;
    // Fault injection over the real engine: the first two batches only half-land, as under throttling.
    const flaky: DynamoDocumentLike = {
      async send(command) {
        if (command instanceof BatchWriteCommand && throttled < 2) {
          throttled++;
          const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0];
          const half = Math.ceil(requests.length / 2);
          await real.send(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) } }));
          return { UnprocessedItems: { [table]: requests.slice(half) } };
        }
        return real.send(command);
      },
    };
    const writer = createDynamoStore({ tableName: harness.tableName, client: flaky });
    const at = Date.UTC(2026, 3, 1);
    const results = Array.from({ length: 30 }, (_, i): CheckResult => ({ check: 'flaky', at: at + i, status: 'up', latencyMs: 1 }));
    await writer.recordResults({ results, states: [] });
    assert.equal(throttled, 2);
    assert.equal((await writer.readResults('flaky', at, at + 1000)).length, 30);
    real.destroy();
  });

  it('relays notifications a crash left parked in the alert item', async () => {
    const client = clientFor(dynamo!.endpoint);
    const parked: Notification = {
      id: 'parked-1',
      channel: 'slack',
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: 0,
      event: { key: 'r:x', rule: 'r', check: 'x', kind: 'firing', state: 'ALARM', title: 't', summary: 's', at: 0 },
    };
    // What a transition leaves behind if the process dies right after its conditional write.
    await client.send(
      new UpdateCommand({
        TableName: harness.tableName,
        Key: { name: 'alerts', sk: 'r:x' },
        UpdateExpression: 'SET d = :d, v = :v, #o = :o',
        ExpressionAttributeNames: { '#o': 'o#parked-1' },
        ExpressionAttributeValues: {
          ':d': JSON.stringify({ key: 'r:x', rule: 'r', check: 'x', state: 'ALARM', since: 0, evaluations: [true], version: 1 }),
          ':v': 1,
          ':o': JSON.stringify(parked),
        },
      }),
    );
    const claimed = await store.claimNotifications('owner', 10, 1000, 10);
    assert.deepEqual(claimed.map((n) => n.id), ['parked-1']);
    assert.deepEqual(claimed[0].event, parked.event);
    assert.deepEqual((await store.claimNotifications('owner', 20, 1000, 10)).map((n) => n.id), [], 'relayed once, leased');
    // a failure without a retry time is final: never claimed again, kept for history
    await store.completeNotification('parked-1', { error: 'channel gone' });
    assert.deepEqual(await store.claimNotifications('owner', 1_000_000, 1000, 10), []);
    const [history] = await store.listNotifications({ check: 'x' });
    assert.equal(history.state, 'failed');
    assert.equal(history.lastError, 'channel gone');
    assert.equal(history.attempts, 1);
    assert.equal((await store.readAlerts()).find((a) => a.key === 'r:x')?.version, 1);
    client.destroy();
  });

  it('lists incidents newest first across many items', async () => {
    const base: Incident = { id: '', kind: 'incident', title: 't', status: 'investigating', impact: 'minor', checks: [], createdAt: 0, updatedAt: 0, source: 'api', updates: [] };
    for (let i = 0; i < 30; i++) await store.saveIncident({ ...base, id: `bulk-${i}`, createdAt: 5_000_000 + i, updatedAt: 5_000_000 + i });
    const top = await store.listIncidents({ limit: 3 });
    assert.deepEqual(top.map((i) => i.id), ['bulk-29', 'bulk-28', 'bulk-27']);
  });
});
