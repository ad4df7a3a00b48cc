import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createCheckerHandler, type CheckerHandler } from './checker-handler.ts';
import { inShard, shardOf, ShardInputError } from './checker-shard.ts';
import { startLambdaHarness, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers/http-receiver.ts';

const CHECKS = 30;
const context = { awsRequestId: 'shard', getRemainingTimeInMillis: () => 55_000 };
/** How many of the configured checks hash to shard `index` of 3. */
const shardSize = (index: number) => Array.from({ length: CHECKS }, (_, n) => `check-${n}`).filter((name) => inShard(name, { index, count: 3, key: '' })).length;
const event = (index: number, count: number) => ({ source: 'aws.events', 'detail-type': 'Scheduled Event', shard: { index, count } });

describe('checker fan-out: each invocation takes a disjoint share of the checks (dynalite)', () => {
  let harness: LambdaHarness;
  let target: HttpReceiver;
  let offset = 0;
  const now = () => Date.now() + offset;
  const handlers: CheckerHandler[] = [];
  const newHandler = (owner: string) => {
    const handler = createCheckerHandler({
      owner,
      now,
      runtime: () => harness.runtime(),
    });
    handlers.push(handler);
    return handler;
  };
  /** How often each check's path was probed. */
  const hits = () => {
    const counts = new Map<string, number>();
    for (const request of target.requests) counts.set(request.path, (counts.get(request.path) ?? 0) + 1);
    return counts;
  };

  before(async () => {
    harness = await startLambdaHarness();
    target = await startHttpReceiver();
    const checks = Array.from({ length: CHECKS }, (_, i) => `  - name: check-${i}\n    interval: 60s\n    timeout: 2s\n    http:\n      url: ${target.url}/check-${i}\n`).join('');
    await harness.writeConfig('upstate.yaml', `checks:\n${checks}`);
  });
  after(async () => {
    for (const handler of handlers) await handler.close();
    await target?.close();
    await harness?.stop();
  });

  it('three shards in three containers: every check runs exactly once per tick, each in its own shard', async () => {
    const containers = [newHandler('a'), newHandler('b'), newHandler('c')];
    // cold starts sync the schedule; on a slow machine a check whose phase is near 0 may already run
    await Promise.all(containers.map((handler, i) => handler(event(i, 3), context)));
    const atStart = hits();
    for (let tick = 1; tick <= 2; tick++) {
      offset += 61_000;
      const summaries = await Promise.all(containers.map((handler, i) => handler(event(i, 3), context)));
      assert.equal(summaries.reduce((sum, s) => sum + s.checked, 0), CHECKS, `tick ${tick}: all checks ran`);
      // each shard ran exactly as many checks as hash to it
      assert.deepEqual(
        summaries.map((s) => s.checked),
        [0, 1, 2].map(shardSize),
        `tick ${tick}`,
      );
      assert.ok(summaries.every((s) => s.checked > 0), `tick ${tick}: every shard had work`);
      const counts = hits();
      assert.equal(counts.size, CHECKS);
      const runs = [...counts].map(([path, count]) => count - (atStart.get(path) ?? 0));
      assert.deepEqual([...new Set(runs)], [tick], `tick ${tick}: no check ran twice`);
    }
  });

  it('a second container invoked for the same shard claims nothing twice', async () => {
    const [first, second] = [newHandler('d'), newHandler('e')];
    offset += 61_000;
    const before = target.requests.length;
    const [a, b] = await Promise.all([first(event(0, 3), context), second(event(0, 3), context)]);
    assert.equal(a.checked + b.checked, shardSize(0));
    assert.equal(target.requests.length - before, shardSize(0));
  });

  it('reads the shard from the event strictly; count 1 means no split', () => {
    assert.equal(shardOf({}), undefined);
    assert.equal(shardOf({ shard: { index: 0, count: 1 } }), undefined);
    assert.deepEqual(shardOf({ shard: { index: 2, count: 3 } }), { index: 2, count: 3, key: '2of3' });
    for (const bad of [{ index: 3, count: 3 }, { index: -1, count: 2 }, { index: 0, count: 6 }, { index: '0', count: 2 }, null]) {
      assert.throws(() => shardOf({ shard: bad }), ShardInputError, JSON.stringify(bad));
    }
    // the split is a partition: every name is in exactly one shard
    for (const name of ['a', 'Billing API', 'check-17', 'ü']) {
      assert.equal([0, 1, 2, 3].filter((index) => inShard(name, { index, count: 4, key: '' })).length, 1, name);
    }
  });
});
