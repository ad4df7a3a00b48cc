import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createCheckerHandler, type CheckerHandler } from './checker-handler.ts';
import { fixture, startLambdaHarness, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers/http-receiver.ts';
import type { LambdaContext } from './lambda-types.ts';

const context = (remainingMs: number): LambdaContext => ({ awsRequestId: 'req-1', getRemainingTimeInMillis: () => remainingMs });

describe('checker handler (EventBridge schedule, real DynamoDB store, local targets)', () => {
  let harness: LambdaHarness;
  let target: HttpReceiver;
  let hook: HttpReceiver;
  let offset = 0;
  const now = () => Date.now() + offset;
  const handlers: CheckerHandler[] = [];

  const newHandler = (owner: string) => {
    const handler = createCheckerHandler({
      owner,
      now,
      runtime: () => harness.runtime({ HOOK_URL: `${hook.url}/alerts` }),
    });
    handlers.push(handler);
    return handler;
  };

  before(async () => {
    harness = await startLambdaHarness();
    target = await startHttpReceiver();
    hook = await startHttpReceiver();
    await harness.writeConfig(
      'upstate.yaml',
      `
checks:
  - name: Website
    interval: 60s
    timeout: 2s
    http:
      url: ${target.url}/health
  - name: Refused
    interval: 60s
    timeout: 2s
    http:
      url: http://127.0.0.1:1/
alerts:
  defaults:
    down: true
notifiers:
  ops-hook:
    kind: webhook
    url: \${HOOK_URL}
`,
    );
  });
  after(async () => {
    for (const handler of handlers) await handler.close();
    await target?.close();
    await hook?.close();
    await harness?.stop();
  });

  it('syncs the schedule on cold start, then runs due checks, records them and alerts', async () => {
    const checker = newHandler('container-a');
    const event = await fixture('scheduled-event.json');
    // history older than the hourly retention (30 days): the first invocation applies retention
    const old = Date.now() - 40 * 86_400_000;
    const oldResult = { check: 'Website', at: old, status: 'up' as const, latencyMs: 10 };
    await harness.store().recordResults({ results: [oldResult], states: [{ check: 'Website', status: 'up', since: old, lastResult: oldResult, streak: 0 }] });
    assert.equal((await harness.store().readRollups(['Website'], 'hour', 0, Date.now())).length, 1);

    const first = await checker(event, context(55_000));
    assert.equal(first.checked, 0, 'right after the schedule is synced nothing is due yet');
    assert.equal((await harness.store().readRollups(['Website'], 'hour', 0, Date.now())).length, 0, 'old hourly rollups removed');
    assert.equal((await harness.store().readRollups(['Website'], 'day', 0, Date.now())).length, 1, 'daily rollups kept (400 days)');

    offset += 61_000; // one interval later every check is due
    const second = await checker(event, context(55_000));
    assert.deepEqual([second.checked, second.up, second.down, second.notStarted], [2, 1, 1, 0]);
    assert.ok(target.requests.some((r) => r.path === '/health'), 'the local target was probed');

    const store = harness.store();
    const states = new Map((await store.readStates()).map((s) => [s.check, s.status]));
    assert.equal(states.get('Website'), 'up');
    assert.equal(states.get('Refused'), 'down');
    assert.equal((await store.readRecentResults('Website', { limit: 5 })).length, 1);

    // alerting is subscribed: the down check's alert was delivered before the invocation ended
    const delivered = hook.delivered();
    assert.ok(delivered.length >= 1, 'the webhook received the down alert');
    assert.match(delivered[0].body, /Refused/);
  });

  it('a second container in the same minute claims nothing twice', async () => {
    const a = handlers[0];
    const b = newHandler('container-b');
    offset += 60_000;
    const [ra, rb] = await Promise.all([a({}, context(55_000)), b({}, context(55_000))]);
    assert.equal(ra.checked + rb.checked, 2);
  });

  it('retention runs once per clock hour across containers, not on every cold start', async () => {
    const event = await fixture('scheduled-event.json');
    const old = Date.now() - 40 * 86_400_000;
    const oldResult = { check: 'Refused', at: old, status: 'down' as const, latencyMs: 1 };
    await harness.store().recordResults({ results: [oldResult], states: [] });
    const oldRollups = async () => (await harness.store().readRollups(['Refused'], 'hour', 0, Date.now() - 86_400_000)).length;
    assert.equal(await oldRollups(), 1);
    // half past an hour, which another container has already claimed for retention
    const HOUR = 3_600_000;
    offset += (HOUR + HOUR / 2 - (now() % HOUR)) % HOUR;
    await harness.store().claimNotice(`retention:${Math.floor(now() / HOUR)}`, now());
    await newHandler('container-r')(event, context(55_000));
    assert.equal(await oldRollups(), 1, 'not applied again within the hour');
    // the next hour, one of the containers applies it
    offset += HOUR;
    await newHandler('container-s')(event, context(55_000));
    assert.equal(await oldRollups(), 0, 'applied in the next hour');
  });

  it('checks that cannot finish before the deadline are recorded as timeouts, not started', async () => {
    const checker = handlers[0];
    offset += 60_000;
    const probesBefore = target.requests.length;
    // 5.5 s left minus the 5 s margin leaves 0.5 s: less than the 2 s timeout
    const summary = await checker({}, context(5_500));
    assert.deepEqual([summary.checked, summary.notStarted, summary.down], [2, 2, 2]);
    assert.equal(target.requests.length, probesBefore, 'nothing was probed');
    const [latest] = await harness.store().readRecentResults('Website', { limit: 1 });
    assert.equal(latest.failure?.class, 'timeout');
    assert.match(latest.failure?.message ?? '', /not started/);
  });
});
