import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startHttpReceiver } from '../../../../test/support/receivers/http-receiver.ts';
import { buildPagerDutyEvent } from './pagerduty-payload.ts';
import { pagerduty, pagerdutySchema } from './pagerduty-notifier.ts';
import { DeliveryError } from '../notifier.ts';

const firing: AlertEvent = {
  key: 'down:api',
  rule: 'down',
  check: 'api',
  kind: 'firing',
  state: 'ALARM',
  title: 'api is down',
  summary: 'connection refused',
  at: Date.UTC(2026, 0, 1),
};

describe('pagerduty', () => {
  it('triggers and resolves with the alert key as dedup_key', () => {
    const config = pagerdutySchema.parse({ routingKey: 'R123' });
    const trigger = buildPagerDutyEvent(firing, config) as any;
    const resolve = buildPagerDutyEvent({ ...firing, kind: 'resolved', state: 'OK' }, config) as any;
    const reminder = buildPagerDutyEvent({ ...firing, kind: 'reminder' }, config) as any;
    assert.equal(trigger.event_action, 'trigger');
    assert.equal(reminder.event_action, 'trigger');
    assert.equal(resolve.event_action, 'resolve');
    assert.equal(trigger.dedup_key, 'down:api');
    assert.equal(resolve.dedup_key, trigger.dedup_key);
    assert.equal(trigger.routing_key, 'R123');
    assert.equal(trigger.payload.severity, 'critical');
    assert.equal(trigger.payload.source, 'upstate');
    assert.equal(trigger.payload.component, 'api');
    assert.equal(config.eventsUrl, 'https://events.pagerduty.com/v2/enqueue');
  });

  it('posts to the configured events URL; a 400 is not retried', async () => {
    const receiver = await startHttpReceiver({ okStatus: 202, okBody: '{"status":"success","dedup_key":"down:api"}' });
    after(() => receiver.close());
    const config = pagerdutySchema.parse({ routingKey: 'R1', eventsUrl: `${receiver.url}/v2/enqueue`, severity: 'warning' });
    await pagerduty.send(firing, config, { signal: AbortSignal.timeout(10_000) });
    const body = receiver.requests[0].json();
    assert.equal(receiver.requests[0].path, '/v2/enqueue');
    assert.equal(body.payload.severity, 'warning');
    const refusing = await startHttpReceiver({ okStatus: 400, okBody: '{"status":"invalid event"}' });
    after(() => refusing.close());
    await assert.rejects(
      pagerduty.send(firing, { ...config, eventsUrl: refusing.url }, { signal: AbortSignal.timeout(10_000) }),
      (e: unknown) => e instanceof DeliveryError && !e.retryable,
    );
  });
});
