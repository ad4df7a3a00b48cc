import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck, type AlertingHarness } from '../../test/support/receivers/alerting-harness.ts';

const checks = [testCheck('api'), testCheck('web'), testCheck('db')];

describe('outbox delivery scenarios (SQLite store, local receivers)', () => {
  let flaky: HttpReceiver;
  let steady: HttpReceiver;
  let harness: AlertingHarness | undefined;
  before(async () => {
    [flaky, steady] = await Promise.all([startHttpReceiver(), startHttpReceiver()]);
  });
  after(async () => {
    await Promise.all([flaky.close(), steady.close()]);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    for (const receiver of [flaky, steady]) {
      receiver.requests.length = 0;
      receiver.setMode('ok');
    }
  });

  const delivered = (receiver: HttpReceiver) => receiver.delivered().map((r) => `${r.json().kind} ${r.json().key}`).sort();

  it('a channel down for a while gets every message once it is back: nothing lost, nothing twice', async () => {
    const h = (harness = await createAlertingHarness({
      notifiers: { flaky: { kind: 'webhook', url: flaky.url }, steady: { kind: 'webhook', url: steady.url } },
      checks,
    }));
    await h.alerting.start();
    flaky.setMode('fail');
    await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
    await h.publish([{ check: 'api', status: 'up' }, { check: 'web', status: 'down' }]);
    await h.alerting.deliverNow();
    const expected = ['firing down:api', 'firing down:web', 'resolved down:api'];
    assert.deepEqual(delivered(steady), expected, 'the healthy channel is not held back');
    // api's RESOLVED is not even attempted while its FIRING is undelivered
    assert.deepEqual(flaky.requests.map((r) => r.json().kind).sort(), ['firing', 'firing']);
    const pending = (await h.store.listNotifications()).filter((n) => n.channel === 'flaky');
    assert.deepEqual(
      pending.map((n) => [n.event.kind, n.state, n.attempts, n.lastError?.slice(0, 8)]).sort(),
      [['firing', 'pending', 1, 'HTTP 500'], ['firing', 'pending', 1, 'HTTP 500'], ['resolved', 'pending', 0, undefined]],
    );
    // retried with backoff while the channel is down (1s·2^(n−1) with jitter 0.75)
    for (let round = 0; round < 3; round++) {
      await h.clock.advance(4_000);
      await h.alerting.deliverNow();
    }
    assert.ok(flaky.requests.length >= 8, `the two FIRINGs retried: ${flaky.requests.length} attempts`);
    assert.deepEqual(delivered(flaky), []);
    flaky.setMode('ok');
    await h.clock.advance(8_000);
    await h.alerting.deliverNow();
    assert.deepEqual(delivered(flaky), expected);
    await h.clock.advance(60_000);
    await h.alerting.deliverNow();
    assert.deepEqual(delivered(flaky), expected, 'nothing is sent twice');
    assert.deepEqual(delivered(steady), expected);
    assert.ok((await h.store.listNotifications()).every((n) => n.state === 'sent'));
  });

  it('after a receiver outage the FIRING still arrives before its RESOLVED (none is even attempted before)', async () => {
    const h = (harness = await createAlertingHarness({ notifiers: { flaky: { kind: 'webhook', url: flaky.url } }, checks }));
    await h.alerting.start();
    flaky.setMode('fail');
    await h.publish([{ check: 'api', status: 'down' }]);
    // the outage lasts long enough for the FIRING's backoff to grow (1, 2, 4, 8 s)
    for (let second = 0; second < 12; second++) {
      await h.alerting.deliverNow();
      await h.clock.advance(1_000);
    }
    await h.publish([{ check: 'api', status: 'up' }]); // the RESOLVED is new: its first attempt is now
    await h.alerting.deliverNow();
    flaky.setMode('ok'); // the receiver is back, well before the FIRING's next retry
    for (let second = 0; second < 20; second++) {
      await h.clock.advance(1_000);
      await h.alerting.deliverNow();
    }
    const kinds = (list: typeof flaky.requests) => list.map((r) => r.json().kind as string);
    assert.deepEqual(kinds(flaky.delivered()), ['firing', 'resolved']);
    const attempts = kinds(flaky.requests);
    assert.ok(attempts.indexOf('resolved') > attempts.lastIndexOf('firing'), `attempt order: ${attempts.join(' ')}`);
    const stored = await h.store.listNotifications();
    assert.deepEqual(stored.map((n) => [n.event.kind, n.event.sequence]).sort(), [['firing', 1], ['resolved', 2]]);
  });

  it('a channel that refuses for good raises an "alert channel failing" alert on the other channels, and its recovery resolves it', async () => {
    const deliveries: string[] = [];
    const h = (harness = await createAlertingHarness({
      notifiers: { bad: { kind: 'webhook', url: flaky.url }, ops: { kind: 'webhook', url: steady.url } },
      checks,
      onDelivery: (channel, outcome) => deliveries.push(`${channel} ${outcome}`),
    }));
    await h.alerting.start();
    flaky.setMode('refuse');
    await h.publish([{ check: 'api', status: 'down' }]);
    await h.alerting.deliverNow();
    const opsGot = () => steady.delivered().map((r) => `${r.json().kind} ${r.json().key}`);
    assert.deepEqual(opsGot(), ['firing down:api', 'firing channel:bad']);
    const notice = steady.delivered()[1].json();
    assert.match(notice.title, /Alert channel "bad" is failing/);
    assert.match(notice.summary, /HTTP 400/);
    assert.deepEqual(
      (await h.store.readAlerts()).filter((a) => a.key === 'channel:bad').map((a) => [a.state, a.rule]),
      [['ALARM', 'channel']],
      'visible where /api/v1/alerts reads',
    );
    assert.deepEqual(deliveries.sort(), ['bad failed', 'ops sent', 'ops sent']);
    assert.equal(flaky.requests.length, 1, 'the notice about "bad" is not sent to "bad"');

    // a second refusal while it is known to fail raises nothing new
    await h.publish([{ check: 'web', status: 'down' }]);
    await h.alerting.deliverNow();
    assert.deepEqual(opsGot(), ['firing down:api', 'firing channel:bad', 'firing down:web']);

    flaky.setMode('ok'); // fixed: the next delivery to it resolves the channel alert
    await h.publish([{ check: 'db', status: 'down' }]);
    await h.alerting.deliverNow();
    assert.deepEqual(opsGot(), ['firing down:api', 'firing channel:bad', 'firing down:web', 'firing down:db', 'resolved channel:bad']);
    assert.equal((await h.store.readAlerts()).find((a) => a.key === 'channel:bad')?.state, 'OK');
  });

  it('a grouped storm: 50 checks of one group down make one message per channel', async () => {
    const storm = Array.from({ length: 50 }, (_, i) => testCheck(`svc${i}`, { group: 'core' }));
    const h = (harness = await createAlertingHarness({
      notifiers: { a: { kind: 'webhook', url: flaky.url }, b: { kind: 'webhook', url: steady.url } },
      checks: storm,
      alerts: { grouping: { by: ['group'], wait: '30s' } },
    }));
    await h.alerting.start();
    await h.publish(storm.map((c) => ({ check: c.name, status: 'down' as const })));
    await h.alerting.deliverNow();
    assert.equal(flaky.requests.length + steady.requests.length, 0, 'held back for the group wait');
    await h.clock.advance(30_000);
    await h.alerting.deliverNow();
    for (const receiver of [flaky, steady]) {
      assert.equal(receiver.delivered().length, 1);
      const body = receiver.delivered()[0].json();
      assert.equal(body.title, '50 alerts in core: 50 firing');
      assert.equal(body.summary.split('\n').length, 50);
    }
    assert.ok((await h.store.listNotifications()).every((n) => n.state === 'sent'), 'each alert\'s message is recorded as sent');
  });

  it('gives up after the attempt cap and records the error', async () => {
    const h = (harness = await createAlertingHarness({
      notifiers: { flaky: { kind: 'webhook', url: flaky.url } },
      checks,
      dispatcher: { retry: { baseMs: 1_000, maxDelayMs: 1_000, maxAttempts: 3, maxAgeMs: 3_600_000 } },
    }));
    await h.alerting.start();
    flaky.setMode('fail');
    await h.publish([{ check: 'api', status: 'down' }]);
    for (let round = 0; round < 6; round++) {
      await h.alerting.deliverNow();
      await h.clock.advance(2_000);
    }
    assert.equal(flaky.requests.length, 3);
    const [notification] = await h.store.listNotifications();
    assert.equal(notification.state, 'failed');
    assert.equal(notification.attempts, 3);
    assert.match(notification.lastError!, /HTTP 500/);
  });

  it('a hanging channel times out without delaying other channels or the result path', async () => {
    // Judged by order, not by a stopwatch: the slow channel's timeout is far longer than any
    // delay a busy machine adds, so "before it timed out" is read from its notifications, which
    // stay pending and unattempted until the timeout ends the send.
    const h = (harness = await createAlertingHarness({
      notifiers: { slow: { kind: 'webhook', url: flaky.url, timeout: '3s' }, fast: { kind: 'webhook', url: steady.url } },
      checks,
    }));
    await h.alerting.start();
    flaky.setMode('hang');
    const slowState = async () =>
      (await h.store.listNotifications()).filter((n) => n.channel === 'slow').map((n) => [n.state, n.attempts, n.lastError ?? null]);
    const stillHanging = Array(2).fill(['pending', 0, null]);
    await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
    assert.deepEqual(await slowState(), stillHanging, 'publishing results returned while the slow channel still hangs');
    await steady.waitFor(2, { timeoutMs: 10_000 });
    assert.deepEqual(await slowState(), stillHanging, 'the fast channel delivered while the slow one still hangs');
    await flaky.waitFor(2, { timeoutMs: 10_000, filter: (r) => r.outcome === 'hang' }); // both slow sends really were in flight
    await h.alerting.deliverNow();
    const slow = (await h.store.listNotifications()).filter((n) => n.channel === 'slow');
    assert.deepEqual(slow.map((n) => [n.state, n.attempts, n.lastError]), Array(2).fill(['pending', 1, 'timed out after 3000ms']));
  });

  it('a finished delivery leaves no deadline armed behind it', async () => {
    // `AbortSignal.timeout` kept every delivery's deadline armed until it fired, building a
    // DOMException and running abort listeners for a send long done. The deadline is now a timer
    // cleared when the send ends: counted here by the channel's (distinctive) timeout
    const timeoutMs = 47_000;
    const armed = new Set<unknown>();
    let cleared = 0;
    const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
    globalThis.setTimeout = ((fn: () => void, ms?: number, ...rest: unknown[]) => {
      const timer: ReturnType<typeof setTimeout> = Reflect.apply(realSet, globalThis, [fn, ms, ...rest]);
      if (ms === timeoutMs) armed.add(timer);
      return timer;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((timer?: Parameters<typeof clearTimeout>[0]) => {
      if (armed.delete(timer)) cleared++;
      realClear(timer);
    }) as typeof clearTimeout;
    try {
      const h = (harness = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: steady.url, timeout: '47s' } }, checks }));
      await h.alerting.start();
      await h.publish([{ check: 'api', status: 'down' }]);
      await h.publish([{ check: 'api', status: 'up' }]);
      await h.alerting.deliverNow();
      assert.deepEqual(delivered(steady), ['firing down:api', 'resolved down:api']);
      assert.equal(cleared, 2, 'each send had a deadline, cleared when it ended');
      assert.equal(armed.size, 0, 'no deadline outlives its send');
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
  });

  it('a restart mid-delivery re-sends the unconfirmed message and never a confirmed one', async () => {
    const h = (harness = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: flaky.url, timeout: '5s' } }, checks }));
    await h.alerting.start();
    await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
    await h.alerting.deliverNow();
    flaky.setMode('hang');
    await h.publish([{ check: 'db', status: 'down' }]);
    await flaky.waitFor(1, { filter: (r) => r.outcome === 'hang' });
    await h.alerting.stop(); // the process dies while db's message is in flight
    const inFlight = (await h.store.listNotifications({ check: 'db' }))[0];
    assert.deepEqual([inFlight.state, inFlight.attempts], ['pending', 0], 'not confirmed, not counted as a failure');

    flaky.setMode('ok');
    const restarted = await h.instance();
    await restarted.alerting.start();
    await restarted.alerting.deliverNow();
    assert.deepEqual(delivered(flaky), ['firing down:api', 'firing down:web'], 'still leased to the dead instance');
    await h.clock.advance(31_000); // the lease ends; the new instance's poll picks it up
    await restarted.alerting.deliverNow();
    assert.deepEqual(delivered(flaky), ['firing down:api', 'firing down:db', 'firing down:web']);
    assert.ok((await restarted.store.listNotifications()).every((n) => n.state === 'sent'));
  });

  it('delivers a backlog larger than one claim, each message once', async () => {
    const many = Array.from({ length: 7 }, (_, i) => testCheck(`svc${i}`));
    const h = (harness = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: steady.url, concurrency: 2 } }, checks: many, dispatcher: { batch: 3 } }));
    await h.alerting.start();
    await h.publish(many.map((c) => ({ check: c.name, status: 'down' as const })));
    await h.publish(many.map((c) => ({ check: c.name, status: 'up' as const })));
    await h.alerting.deliverNow();
    const got = delivered(steady);
    assert.equal(got.length, 14);
    assert.equal(new Set(got).size, 14);
  });

  it('sendTest delivers directly and reports failures', async () => {
    const h = (harness = await createAlertingHarness({
      notifiers: { hook: { kind: 'webhook', url: steady.url }, broken: { kind: 'webhook', url: flaky.url } },
      checks,
    }));
    flaky.setMode('fail');
    assert.equal((await h.alerting.sendTest('hook')).ok, true);
    assert.equal(steady.requests[0].json().kind, 'test');
    const failed = await h.alerting.sendTest('broken');
    assert.equal(failed.ok, false);
    assert.match(failed.error!, /HTTP 500/);
    assert.match((await h.alerting.sendTest('nope')).error!, /not configured/);
  });
});
