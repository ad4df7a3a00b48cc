import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck, T0, type AlertingHarness } from '../../test/support/receivers/alerting-harness.ts';

const SECOND = 1_000;

describe('alerts.grouping.interval: follow-ups of a notified group (SQLite store, local receiver)', () => {
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
  });

  /**
   * svc0–2 go down at 0s; svc3 at 60s, svc4 at 120s; svc0 recovers at 180s; svc5 goes down at
   * 1,020s, after the group was quiet. Returns `<seconds after T0> <title>` per message received.
   */
  async function storm(grouping: Record<string, unknown>): Promise<string[]> {
    const checks = Array.from({ length: 6 }, (_, i) => testCheck(`svc${i}`, { group: 'core' }));
    const h = (harness = await createAlertingHarness({
      notifiers: { chat: { kind: 'webhook', url: `${hook.url}/chat` } },
      checks,
      alerts: { grouping: { by: ['group'], ...grouping } },
      dispatcher: { pollMs: 3_600_000 }, // delivery by deliverNow only, at known times
    }));
    await h.alerting.start();
    const down = new Set<string>();
    const received: string[] = [];
    for (let t = 0; t <= 1_100; t += 10) {
      if (t === 0) ['svc0', 'svc1', 'svc2'].forEach((c) => down.add(c));
      if (t === 60) down.add('svc3');
      if (t === 120) down.add('svc4');
      if (t === 180) down.delete('svc0');
      if (t === 1_020) down.add('svc5');
      if (t % 30 === 0) await h.publish(checks.map((c) => ({ check: c.name, status: down.has(c.name) ? ('down' as const) : ('up' as const) })));
      const before = hook.delivered().length;
      await h.alerting.deliverNow();
      for (const request of hook.delivered().slice(before)) received.push(`${(h.clock.now() - T0) / SECOND} ${request.json().title}`);
      await h.clock.advance(10 * SECOND);
    }
    return received;
  }

  it('holds a group\'s follow-ups to one message per interval; a quiet group starts over with wait', async () => {
    assert.deepEqual(await storm({ wait: '30s', interval: '5m' }), [
      '30 3 alerts in core: 3 firing',
      '330 3 alerts in core: 2 firing, 1 resolved',
      '1050 svc5 is down',
    ]);
  });

  it('without an interval (0s) every follow-up goes out on its own after wait', async () => {
    assert.deepEqual(await storm({ wait: '30s', interval: '0s' }), [
      '30 3 alerts in core: 3 firing',
      '90 svc3 is down',
      '150 svc4 is down',
      '210 svc0 is back up',
      '1050 svc5 is down',
    ]);
  });
});
