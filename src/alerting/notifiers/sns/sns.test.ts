import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startSnsReceiver, type SnsReceiver } from '../../../../test/support/receivers/sns-receiver.ts';
import { buildSnsPublish, snsSubject } from './sns-payload.ts';
import { sns, snsSchema } from './sns-notifier.ts';
import { DeliveryError } from '../notifier.ts';

const ARN = 'arn:aws:sns:eu-west-1:123456789012:upstate-alerts';
const event: AlertEvent = {
  key: 'certificate:shop',
  rule: 'certificate',
  check: 'shop',
  kind: 'firing',
  state: 'ALARM',
  title: 'shop certificate expires soon — renew ✓',
  summary: 'certificate expires in 9 days',
  at: Date.UTC(2026, 0, 1),
};

describe('sns payload', () => {
  it('keeps the subject to 100 printable ASCII characters', () => {
    const input = buildSnsPublish(event, ARN, '[Upstate]');
    assert.equal(input.Subject, '[Upstate] FIRING: shop certificate expires soon renew');
    assert.equal(snsSubject('x'.repeat(150)).length, 100);
    assert.equal(snsSubject('a\nb'), 'a b');
    assert.equal(input.MessageAttributes.check.StringValue, 'shop');
    assert.match(input.Message, /certificate expires in 9 days/);
  });

  it('validates the topic ARN', () => {
    assert.equal(snsSchema.safeParse({ topicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' }).success, false);
    assert.equal(snsSchema.safeParse({ topicArn: ARN, accessKeyId: 'A' }).success, false, 'key without secret');
  });
});

describe('sns send', () => {
  let receiver: SnsReceiver;
  before(async () => {
    receiver = await startSnsReceiver({ AKIDTEST: 'secret-key' });
  });
  after(() => receiver.close());

  it('publishes a SigV4-signed Publish request', async () => {
    const config = snsSchema.parse({ topicArn: ARN, endpoint: receiver.endpoint, accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-key' });
    await sns.send(event, config, { signal: AbortSignal.timeout(10_000) });
    assert.deepEqual(receiver.rejected, []);
    const [message] = receiver.published;
    assert.equal(message.topicArn, ARN);
    assert.equal(message.region, 'eu-west-1', 'region taken from the ARN');
    assert.equal(message.accessKeyId, 'AKIDTEST');
    assert.match(message.subject!, /^\[Upstate\] FIRING/);
    assert.match(message.message, /Check: shop/);
    assert.equal(message.params['MessageAttributes.entry.1.Value.DataType'], 'String');
  });

  it('fails (not retryable) when the signature is wrong', async () => {
    const config = snsSchema.parse({ topicArn: ARN, endpoint: receiver.endpoint, accessKeyId: 'AKIDTEST', secretAccessKey: 'wrong' });
    await assert.rejects(sns.send(event, config, { signal: AbortSignal.timeout(10_000) }), (e: unknown) => e instanceof DeliveryError && !e.retryable);
    assert.match(receiver.rejected[0], /signature does not match/);
  });
});
