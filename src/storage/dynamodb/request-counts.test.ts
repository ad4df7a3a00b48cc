/**
 * What the serverless checker's hot paths cost in DynamoDB requests, on a real dynalite, counted
 * by the HTTP requests the table receives:
 * - merged state writes (each round's commit): after `readStates` a merged save is one PutItem
 *   per state (no GetItem), and a state another writer changed since that read is still merged
 *   onto what that writer stored;
 * - the schedule sync (each cold start): an unchanged schedule costs one Query, no UpdateItem.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynalite, type LocalDynamo } from '../../../test/support/dynalite.ts';
import { createDynamoStore } from './index.ts';
import type { Store } from '../store.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import type { StateMerge } from '../ports/results-port.ts';

const T0 = Date.UTC(2026, 5, 1, 10);
const N = 10;

/** A document client whose every HTTP request to DynamoDB is counted by operation. */
function countingClient(endpoint: string, counts: Map<string, number>) {
  const low = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 });
  low.middlewareStack.add(
    (next, context) => (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'testRequestCounter' },
  );
  return DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
}

const result = (check: string, at: number): CheckResult => ({ check, at, status: 'up', latencyMs: 12, statusCode: 200 });
const state = (check: string, at: number): CheckState => ({ check, status: 'up', since: T0, streak: 0, lastResult: result(check, at) });

describe('DynamoDB merged state writes (dynalite)', () => {
  let dynamo: LocalDynamo;
  let tables = 0;
  const stores: Store[] = [];
  /** Two stores (two containers) on one fresh table, each with its own request counts. */
  const pair = async () => {
    const tableName = `states-${process.pid}-${++tables}`;
    const counts = [new Map<string, number>(), new Map<string, number>()];
    const [a, b] = counts.map((c) => createDynamoStore({ tableName, client: () => countingClient(dynamo.endpoint, c) }));
    stores.push(a, b);
    await a.migrate();
    return { a, b, countsA: counts[0], countsB: counts[1] };
  };
  /** A merge that records what was stored when it ran and keeps the newer last result. */
  const recordingMerge = (seen: Map<string, CheckState | undefined>): StateMerge => (stored, incoming) => {
    seen.set(incoming.check, stored);
    return stored && (stored.lastResult?.at ?? 0) > (incoming.lastResult?.at ?? 0) ? stored : incoming;
  };
  const batch = (at: number, merge: StateMerge) => {
    const checks = Array.from({ length: N }, (_, i) => `c${i}`);
    return { results: checks.map((c) => result(c, at)), states: checks.map((c) => state(c, at)), merge };
  };

  before(async () => {
    dynamo = await startDynalite();
  });
  after(async () => {
    for (const s of stores) await s.close();
    await dynamo?.stop();
  });

  it('after readStates, a merged save is one PutItem per state and no GetItem', async () => {
    const { a, countsA } = await pair();
    await a.readStates();
    await a.recordResults(batch(T0, recordingMerge(new Map())));
    // second round: the states now exist, and this store wrote them
    await a.readStates();
    countsA.clear();
    const seen = new Map<string, CheckState | undefined>();
    await a.recordResults(batch(T0 + 60_000, recordingMerge(seen)));
    assert.equal(countsA.get('GetItem') ?? 0, 0, 'no state is read again');
    assert.equal(countsA.get('PutItem'), N, 'one PutItem per state');
    assert.equal(seen.get('c3')?.lastResult?.at, T0, 'merged onto the stored state');
    const stored = new Map((await a.readStates()).map((s) => [s.check, s]));
    assert.equal(stored.get('c3')?.lastResult?.at, T0 + 60_000);
  });

  it('merges onto the state another writer stored after this store read it', async () => {
    const { a, b, countsA } = await pair();
    await a.recordResults(batch(T0, recordingMerge(new Map())));
    await a.readStates();
    // another container writes c0 (a newer result) after a's read
    await b.recordResults({ results: [result('c0', T0 + 120_000)], states: [state('c0', T0 + 120_000)], merge: recordingMerge(new Map()) });
    countsA.clear();
    const seen = new Map<string, CheckState | undefined>();
    await a.recordResults(batch(T0 + 60_000, recordingMerge(seen)));
    assert.equal(seen.get('c0')?.lastResult?.at, T0 + 120_000, "the merge saw b's state, not the one a read");
    assert.equal(countsA.get('GetItem'), 1, 'only the changed state is read again');
    assert.equal(countsA.get('PutItem'), N + 1, 'one failed compare-and-set, then the merged put');
    const stored = new Map((await a.readStates()).map((s) => [s.check, s]));
    assert.equal(stored.get('c0')?.lastResult?.at, T0 + 120_000, "b's newer state survives");
    assert.equal(stored.get('c1')?.lastResult?.at, T0 + 60_000);
  });

  it('without a read first, a merged save reads each state', async () => {
    const { a, b, countsB } = await pair();
    await a.recordResults(batch(T0, recordingMerge(new Map())));
    const seen = new Map<string, CheckState | undefined>();
    await b.recordResults(batch(T0 + 60_000, recordingMerge(seen)));
    assert.equal(countsB.get('GetItem'), N);
    assert.equal(seen.get('c5')?.lastResult?.at, T0);
  });
});

describe('DynamoDB schedule sync (dynalite)', () => {
  let dynamo: LocalDynamo;
  let store: Store;
  const counts = new Map<string, number>();
  const entries = (n: number, intervalMs = 60_000) =>
    Array.from({ length: n }, (_, i) => ({ check: `s${i}`, intervalMs, nextDueAt: T0 + (i % 60) * 1000 }));

  before(async () => {
    dynamo = await startDynalite();
    store = createDynamoStore({ tableName: `sync-${process.pid}`, client: () => countingClient(dynamo.endpoint, counts) });
    await store.migrate();
  });
  after(async () => {
    await store?.close();
    await dynamo?.stop();
  });

  it('writes only the entries that are new or changed', async () => {
    await store.syncSchedule!(entries(20));
    // a cold start on an unchanged config
    counts.clear();
    await store.syncSchedule!(entries(20));
    assert.equal(counts.get('UpdateItem') ?? 0, 0, 'no entry is rewritten');
    assert.equal(counts.get('Query'), 1);
    // one interval changed, one check added, one removed
    const next = entries(20).slice(1);
    next[0] = { ...next[0], intervalMs: 120_000 };
    next.push({ check: 's20', intervalMs: 60_000, nextDueAt: T0 });
    counts.clear();
    await store.syncSchedule!(next);
    assert.equal(counts.get('UpdateItem'), 2, 'the changed and the added entry');
    assert.equal(counts.get('BatchWriteItem'), 1, 'the removed entry');
    // every wanted check is claimable once it is due, the removed one is gone
    const claimed = await store.claimDueChecks!('owner', T0 + 60_000, 5_000, 100);
    const names = new Set(claimed.map((c) => c.check));
    assert.equal(names.size, 20);
    assert.ok(names.has('s20') && names.has('s1') && !names.has('s0'));
  });
});

describe('DynamoDB schedule claims (dynalite)', () => {
  let dynamo: LocalDynamo;
  let tables = 0;
  const stores: Store[] = [];
  const open = async (tableName: string, counts = new Map<string, number>()) => {
    const s = createDynamoStore({ tableName, client: () => countingClient(dynamo.endpoint, counts) });
    stores.push(s);
    await s.migrate();
    return s;
  };
  /** 50 checks at 60 s, first due at T0 + 0..49 s. */
  const schedule = Array.from({ length: 50 }, (_, i) => ({ check: `k${i}`, intervalMs: 60_000, nextDueAt: T0 + i * 1000 }));

  before(async () => {
    dynamo = await startDynalite();
  });
  after(async () => {
    for (const s of stores) await s.close();
    await dynamo?.stop();
  });

  it('claims every due check of a round in a fixed number of requests', async () => {
    const counts = new Map<string, number>();
    const store = await open(`claims-${process.pid}-${++tables}`, counts);
    await store.syncSchedule!(schedule);
    counts.clear();
    const claimed = await store.claimDueChecks!('a', T0 + 59_000, 5_000, 10_000);
    assert.equal(claimed.length, 50);
    const requests = [...counts.values()].reduce((a, b) => a + b, 0);
    assert.equal(counts.get('UpdateItem'), 1, 'one write for the whole round');
    assert.equal(requests, 3, `GetItem + Query + UpdateItem, got ${JSON.stringify(Object.fromEntries(counts))}`);
    // nothing twice within the interval; every check again one interval on, at its own slot
    assert.equal((await store.claimDueChecks!('a', T0 + 60_000, 5_000, 10_000)).map((c) => c.check).join(), 'k0');
    const next = await store.claimDueChecks!('a', T0 + 119_000, 5_000, 10_000);
    assert.deepEqual(next.map((c) => c.dueAt), schedule.slice(1).map((e) => e.nextDueAt + 60_000));
  });

  it('gives each slot to exactly one of several containers claiming at once', async () => {
    const tableName = `claims-${process.pid}-${++tables}`;
    const containers = [await open(tableName), await open(tableName), await open(tableName)];
    await containers[0].syncSchedule!(schedule);
    const taken = new Map<string, number>();
    for (const now of [T0 + 30_000, T0 + 59_000, T0 + 90_000, T0 + 119_000]) {
      const rounds = await Promise.all(containers.map((c, i) => c.claimDueChecks!(`c${i}`, now + i, 5_000, 10_000)));
      for (const claim of rounds.flat()) {
        const key = `${claim.check}@${claim.dueAt}`;
        taken.set(key, (taken.get(key) ?? 0) + 1);
      }
    }
    assert.equal(taken.size, 100, 'each check at its two slots');
    assert.deepEqual([...new Set(taken.values())], [1], 'no slot claimed twice');
  });

  it('claims at most `limit`, the earliest slots first, and the rest next time', async () => {
    const store = await open(`claims-${process.pid}-${++tables}`);
    await store.syncSchedule!(schedule);
    const first = await store.claimDueChecks!('a', T0 + 59_000, 5_000, 20);
    assert.deepEqual(first.map((c) => c.check), schedule.slice(0, 20).map((e) => e.check));
    const rest = await store.claimDueChecks!('a', T0 + 59_500, 5_000, 100);
    assert.deepEqual(rest.map((c) => c.check), schedule.slice(20).map((e) => e.check));
  });
});
