import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck, T0, type AlertingHarness } from '../../test/support/receivers/alerting-harness.ts';
import { acknowledgeAlert } from './acknowledge.ts';

const MINUTE = 60_000;

describe('alert evaluation scenarios (SQLite store, real bus, local receivers)', () => {
  let hook: HttpReceiver;
  let harness: AlertingHarness | undefined;
  before(async () => {
    hook = await startHttpReceiver();
  });
  after(() => hook.close());
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    hook.requests.length = 0;
    hook.setMode('ok');
  });

  const events = () => hook.delivered().map((r) => `${r.json().kind} ${r.json().key}`);

  async function start(alerts: unknown, checks = [testCheck('api')], extra: Record<string, unknown> = {}) {
    harness = await createAlertingHarness({ alerts, notifiers: { hook: { kind: 'webhook', url: `${hook.url}/hook` } }, checks, ...extra });
    await harness.alerting.start();
    return harness;
  }

  it('a flapping service fires once and resolves once it is stable', async () => {
    const h = await start({ defaults: { down: { for: '3 of 5' } } });
    for (let i = 0; i < 12; i++) {
      await h.publish([{ check: 'api', status: i % 2 === 0 ? 'down' : 'up', failure: { class: 'refused', message: 'connection refused' } }]);
      await h.clock.advance(30_000);
    }
    for (let i = 0; i < 3; i++) {
      await h.publish([{ check: 'api', status: 'up' }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:api', 'resolved down:api']);
    const firing = hook.delivered()[0].json();
    assert.equal(firing.title, 'api is down');
    assert.match(firing.summary, /connection refused/);
    assert.equal(firing.url, 'https://status.example.com/checks/api');
    assert.deepEqual(h.busErrors, []);
  });

  it('a slowing service fires when the exact p95 crosses the threshold, and resolves when it recovers', async () => {
    const h = await start({ defaults: { down: false, latency: 'p95 > 500ms over 10m' } });
    const firedAt: number[] = [];
    // 20 fast results fill the 10m window (one every 30s)
    for (let i = 0; i < 20; i++) {
      await h.publish([{ check: 'api', latencyMs: 100 }]);
      await h.clock.advance(30_000);
    }
    // slow results: the 1st leaves p95 (rank 19 of 20) fast; the 2nd makes it slow
    for (let i = 0; i < 3; i++) {
      await h.publish([{ check: 'api', latencyMs: 900 }]);
      await h.alerting.deliverNow();
      if (hook.delivered().length && !firedAt.length) firedAt.push(i + 1);
      await h.clock.advance(30_000);
    }
    assert.deepEqual(firedAt, [2], 'fires on the second slow result, not the first');
    const firing = hook.delivered()[0].json();
    assert.equal(firing.title, 'api is slow');
    assert.match(firing.summary, /p95 900ms over 10m \(20 results\)/);
    // fast again: the slow results age out of the 10m window
    for (let i = 0; i < 20; i++) {
      await h.publish([{ check: 'api', latencyMs: 100 }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing latency:api', 'resolved latency:api']);
  });

  it('a 5xx burst fires a faults alert (and only the failing check alerts)', async () => {
    const h = await start({ defaults: { down: false, faults: '20% over 5m' } }, [testCheck('api'), testCheck('web')]);
    for (let i = 0; i < 10; i++) {
      await h.publish([{ check: 'api', statusCode: 200 }, { check: 'web', statusCode: 200 }]);
      await h.clock.advance(30_000);
    }
    for (let i = 0; i < 3; i++) {
      await h.publish([{ check: 'api', statusCode: 503, status: 'down' }, { check: 'web', statusCode: 200 }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing faults:api']);
    assert.match(hook.delivered()[0].json().summary, /server errors \(5xx\) at or above 20% over 5m .* Observed: 20% 5xx responses over 5m \(2 of 10\)/);
    const stored = (await h.store.readAlerts()).find((a) => a.key === 'faults:api');
    assert.equal(stored?.state, 'ALARM');
  });

  it('a maintenance created through the API (stored, not in config) silences alerts exactly like config maintenance', async () => {
    const h = await start({ defaults: { down: true } }, [testCheck('api'), testCheck('web')]);
    // what POST /api/v1/incidents stores for a maintenance window
    await h.store.saveIncident({
      id: 'mnt-1', kind: 'maintenance', title: 'DB upgrade', status: 'scheduled', impact: 'maintenance', checks: ['api'],
      createdAt: T0, updatedAt: T0, scheduledFor: T0 + MINUTE, scheduledUntil: T0 + 10 * MINUTE, source: 'api', updates: [],
    });
    await h.clock.advance(2 * MINUTE); // inside the window
    for (let i = 0; i < 4; i++) {
      await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:web'], 'api is silenced by the stored window; web is not in it');
    await h.clock.advance(10 * MINUTE); // the window is over
    await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:web', 'firing down:api']);
  });

  it('on one check, down inhibits faults/errors/latency: a 5xx outage pages once, not twice', async () => {
    const h = await start({ defaults: { down: true, faults: '50% over 5m', latency: { when: 'p95 > 1s over 5m', minSamples: 1 } } });
    for (let i = 0; i < 4; i++) {
      await h.publish([{ check: 'api', status: 'down', statusCode: 503, latencyMs: 5_000 }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:api']);
    // recovered: the 5xx and slow results of the outage are still in the 5m windows, yet nothing more pages
    for (let i = 0; i < 14; i++) {
      await h.publish([{ check: 'api', status: 'up', statusCode: 200 }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:api', 'resolved down:api']);
    assert.ok(h.alerting.alerts().every((a) => a.state === 'OK'), 'the inhibited alerts resolved silently');
    // without an outage, the same faults rule pages on its own (5xx answers, the check stays up)
    for (let i = 0; i < 8; i++) {
      await h.publish([{ check: 'api', status: 'up', statusCode: 503 }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:api', 'resolved down:api', 'firing faults:api']);
  });

  it('dependsOn: a check whose dependency (a check or a group) is down does not page; it pages if still down once the dependency is back', async () => {
    const checks = [testCheck('db', { group: 'core' }), testCheck('api', { dependsOn: ['core'] }), testCheck('web', { dependsOn: ['db'] })];
    const h = await start({ defaults: { down: true } }, checks);
    await h.publish([{ check: 'db', status: 'down' }, { check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
    await h.clock.advance(30_000);
    await h.publish([{ check: 'db', status: 'down' }, { check: 'api', status: 'down' }, { check: 'web', status: 'down' }]);
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:db'], 'one page: the dependency');
    await h.clock.advance(30_000);
    await h.publish([{ check: 'db', status: 'up' }, { check: 'api', status: 'down' }, { check: 'web', status: 'up' }]);
    await h.alerting.deliverNow();
    // db is back and api is still down: api is broken on its own, so it pages now; web recovered silently
    assert.deepEqual(events().sort(), ['firing down:api', 'firing down:db', 'resolved down:db']);
  });

  it('an acknowledged alert sends no more reminders until it resolves; the next firing pages again', async () => {
    const h = await start({ defaults: { down: { repeatEvery: '5m' } } });
    const round = async (status: 'up' | 'down', times: number) => {
      for (let i = 0; i < times; i++) {
        await h.publish([{ check: 'api', status }]);
        await h.clock.advance(MINUTE);
      }
      await h.alerting.deliverNow();
    };
    await round('down', 11);
    assert.deepEqual(events(), ['firing down:api', 'reminder down:api', 'reminder down:api']);
    const acked = await acknowledgeAlert(h.store, 'down:api', 'ops', h.clock.now());
    assert.equal(acked.ok, true);
    await round('down', 20);
    assert.deepEqual(events(), ['firing down:api', 'reminder down:api', 'reminder down:api'], 'no reminders after the ack');
    await round('up', 1);
    await round('down', 6);
    assert.deepEqual(events().slice(3), ['resolved down:api', 'firing down:api', 'reminder down:api'], 'the resolve cleared the ack');
    assert.deepEqual(await acknowledgeAlert(h.store, 'down:nope', 'ops', h.clock.now()), { ok: false, reason: 'unknown' });
  });

  for (const acked of [false, true]) {
    it(acked ? 'an acknowledged alarm never escalates' : 'escalate: an alarm unacknowledged for 15m goes to the escalation channel, and so does its resolve', async () => {
      harness = await createAlertingHarness({
        alerts: { defaults: { down: { channels: ['chat'], escalate: { after: '15m', to: ['pager'] } } } },
        notifiers: { chat: { kind: 'webhook', url: `${hook.url}/chat` }, pager: { kind: 'webhook', url: `${hook.url}/pager` } },
        checks: [testCheck('api')],
      });
      const h = harness;
      await h.alerting.start();
      const sent = () => hook.delivered().map((r) => `${r.path} ${r.json().kind} ${r.json().title}`);
      for (let minute = 0; minute < 20; minute++) {
        await h.publish([{ check: 'api', status: 'down' }]);
        await h.alerting.deliverNow();
        if (acked && minute === 5) assert.equal((await acknowledgeAlert(h.store, 'down:api', 'ops', h.clock.now())).ok, true);
        await h.clock.advance(MINUTE);
      }
      await h.publish([{ check: 'api', status: 'up' }]);
      await h.alerting.deliverNow();
      // channels deliver independently: order is promised per channel, not across them
      const to = (path: string) => sent().filter((line) => line.startsWith(`${path} `));
      assert.deepEqual(to('/chat'), ['/chat firing api is down', '/chat resolved api is back up']);
      assert.deepEqual(to('/pager'), acked ? [] : ['/pager firing ESCALATED: api is down', '/pager resolved api is back up']);
    });
  }

  it('maintenance silences alerts; a still-failing check fires once maintenance ends', async () => {
    let maintenanceUntil = T0 + 5 * MINUTE;
    const h = await start({ defaults: { down: true } }, [testCheck('api')], {
      isInMaintenance: (_check: string, at: number) => at < maintenanceUntil,
    });
    for (let i = 0; i < 8; i++) {
      await h.publish([{ check: 'api', status: 'down' }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    assert.deepEqual(events(), [], 'no alert inside the window');
    // results flagged inMaintenance are silenced too, whatever the schedule says
    maintenanceUntil = 0;
    await h.publish([{ check: 'api', status: 'down', inMaintenance: true }]);
    await h.alerting.deliverNow();
    assert.deepEqual(events(), []);
    await h.clock.advance(30_000);
    await h.publish([{ check: 'api', status: 'down' }]);
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:api']);
  });

  it('a push check that missed its period alerts through the heartbeat rule', async () => {
    const h = await start({ defaults: { down: true, heartbeat: true } }, [testCheck('backup', { kind: 'heartbeat', target: 'push' })]);
    await h.publish([{ check: 'backup', status: 'up' }]);
    await h.clock.advance(MINUTE);
    await h.publish([{ check: 'backup', status: 'down', failure: { class: 'timeout', message: 'no ping for 1h 5m' } }]);
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing heartbeat:backup']);
    const firing = hook.delivered()[0].json();
    assert.equal(firing.title, 'backup missed its heartbeat');
    assert.match(firing.summary, /no ping for 1h 5m/);
  });

  it('sends reminders while in alarm, and no message for a steady state', async () => {
    const h = await start({ defaults: { down: { repeatEvery: '10m' } } });
    for (let i = 0; i < 50; i++) {
      await h.publish([{ check: 'api', status: i < 45 ? 'down' : 'up' }]);
      await h.clock.advance(30_000);
    }
    await h.alerting.deliverNow();
    // 45 down results = 22.5 minutes: firing at 0, reminders at 10m and 20m
    assert.deepEqual(events(), ['firing down:api', 'reminder down:api', 'reminder down:api', 'resolved down:api']);
    assert.match(hook.delivered()[1].json().summary, /firing since .* \(10m\)/);
  });

  it('two instances evaluating the same results notify each transition once', async () => {
    const h = await start({ defaults: { down: true } });
    const other = await h.instance();
    await other.alerting.start();
    for (const status of ['down', 'down', 'up', 'down'] as const) {
      await Promise.all([h.publish([{ check: 'api', status }]), h.publish([{ check: 'api', status }], other.bus)]);
      await h.clock.advance(30_000);
    }
    await Promise.all([h.alerting.deliverNow(), other.alerting.deliverNow()]);
    assert.deepEqual(events(), ['firing down:api', 'resolved down:api', 'firing down:api']);
    assert.equal((await h.store.listNotifications({ check: 'api' })).length, 3);
  });

  it('fills a window from the store when the check ran on another instance meanwhile', async () => {
    const h = await start({ defaults: { down: false, latency: 'p95 > 500ms over 10m' } });
    const other = await h.instance();
    await other.alerting.start();
    // the check runs on this instance for 10 minutes (fast), then moves to the other one
    for (let i = 0; i < 20; i++) {
      await h.publish([{ check: 'api', latencyMs: 100 }]);
      await h.clock.advance(30_000);
    }
    await h.publish([{ check: 'api', latencyMs: 900 }], other.bus);
    await other.alerting.deliverNow();
    assert.deepEqual(events(), [], 'one slow result among 20 fast ones is not a p95 breach');
    await h.clock.advance(30_000);
    await h.publish([{ check: 'api', latencyMs: 900 }], other.bus);
    await other.alerting.deliverNow();
    assert.deepEqual(events(), ['firing latency:api']);
    assert.match(hook.delivered()[0].json().summary, /\(20 results\)/);
  });

  it('reloads windows and alert state on restart', async () => {
    const h = await start({ defaults: { down: false, latency: 'max > 500ms over 10m' } });
    await h.publish([{ check: 'api', latencyMs: 900 }]);
    await h.alerting.deliverNow();
    assert.deepEqual(events(), ['firing latency:api']);
    await h.alerting.stop();
    await h.clock.advance(60_000);
    const restarted = await h.instance();
    await restarted.alerting.start();
    // the slow result is still in the reloaded window: still ALARM, no second firing
    await h.publish([{ check: 'api', latencyMs: 100 }], restarted.bus);
    await restarted.alerting.deliverNow();
    assert.deepEqual(events(), ['firing latency:api']);
    await h.clock.advance(10 * MINUTE);
    await h.publish([{ check: 'api', latencyMs: 100 }], restarted.bus);
    await restarted.alerting.deliverNow();
    assert.deepEqual(events(), ['firing latency:api', 'resolved latency:api']);
  });

  it('a certificate alert reads the stored certificate on restart, before the check runs again', async () => {
    // states keep no probe details: the restarted evaluator reads the check's newest stored result
    const h = await start({ defaults: { down: false, certificate: '14d' } });
    await h.publish([{ check: 'api', details: { certificate: { expiresInMs: 30 * 86_400_000 } } }]);
    assert.deepEqual(h.alerting.alerts().map((r) => `${r.key} ${r.state}`), ['certificate:api OK']);
    await h.alerting.stop();
    await h.clock.advance(MINUTE);
    const restarted = await h.instance();
    await restarted.alerting.start();
    await restarted.alerting.evaluateNow();
    // still OK at version 1: from the state's last result alone the certificate is unknown, and
    // the record went INSUFFICIENT_DATA (version 2) until the check ran again
    assert.deepEqual(restarted.alerting.alerts().map((r) => `${r.key} ${r.state} v${r.version}`), ['certificate:api OK v1']);
    assert.deepEqual(h.busErrors, []);
  });

  it('alerts.enabled: false and channel enabled: false stop notifications', async () => {
    const off = await start({ enabled: false, defaults: { down: true } });
    await off.publish([{ check: 'api', status: 'down' }]);
    await off.alerting.evaluateNow();
    await off.alerting.deliverNow();
    assert.deepEqual(events(), []);
    assert.deepEqual(await off.store.readAlerts(), [], 'nothing evaluated');
    await off.close();
    harness = await createAlertingHarness({
      alerts: { defaults: { down: true } },
      notifiers: { hook: { kind: 'webhook', url: `${hook.url}/hook` }, muted: { kind: 'webhook', url: `${hook.url}/muted`, enabled: false } },
      checks: [testCheck('api')],
    });
    await harness.alerting.start();
    await harness.publish([{ check: 'api', status: 'down' }]);
    await harness.alerting.deliverNow();
    assert.deepEqual(hook.delivered().map((r) => r.path), ['/hook']);
    assert.deepEqual((await harness.store.listNotifications()).map((n) => n.channel), ['hook']);
  });
});
