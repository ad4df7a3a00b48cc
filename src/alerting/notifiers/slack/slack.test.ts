import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startHttpReceiver } from '../../../../test/support/receivers/http-receiver.ts';
import { buildSlackPayload } from './slack-payload.ts';
import { slack, slackSchema } from './slack-notifier.ts';

const event: AlertEvent = {
  key: 'latency:api',
  rule: 'latency',
  check: 'api',
  kind: 'resolved',
  state: 'OK',
  title: 'api <latency> & co',
  summary: 'p95 back to 120ms @everyone',
  at: Date.UTC(2026, 0, 1),
  url: 'https://status.example.com/c/api',
};

describe('slack', () => {
  it('builds a coloured, escaped message with a link', () => {
    const payload = buildSlackPayload(event, { username: 'upstate' }) as any;
    assert.equal(payload.text, 'RESOLVED: api &lt;latency&gt; &amp; co');
    assert.equal(payload.username, 'upstate');
    assert.equal(payload.attachments[0].color, '#1e8e3e');
    assert.match(payload.attachments[0].blocks[0].text.text, /^\*<https:\/\/status\.example\.com\/c\/api\|api &lt;latency&gt; &amp; co>\*\n/);
    assert.equal(slackSchema.safeParse({ url: 'https://hooks.slack.com/x', iconEmoji: 'bad' }).success, false);
  });

  it('posts to the incoming webhook', async () => {
    const receiver = await startHttpReceiver({ okBody: 'ok' });
    after(() => receiver.close());
    await slack.send(event, slackSchema.parse({ url: `${receiver.url}/services/T/B/X` }), { signal: AbortSignal.timeout(10_000) });
    assert.equal(receiver.requests[0].path, '/services/T/B/X');
    assert.equal(receiver.requests[0].json().attachments.length, 1);
  });
});

