import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startHttpReceiver } from '../../../../test/support/receivers/http-receiver.ts';
import { buildDiscordPayload } from './discord-payload.ts';
import { discord, discordSchema } from './discord-notifier.ts';

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

describe('discord', () => {
  it('builds an embed and never lets text ping anyone', () => {
    const payload = buildDiscordPayload({ ...event, kind: 'firing', state: 'ALARM' }, { username: 'Upstate' }) as any;
    assert.deepEqual(payload.allowed_mentions, { parse: [] });
    assert.equal(payload.embeds[0].color, 0xd93025);
    assert.equal(payload.embeds[0].title, 'FIRING: api <latency> & co');
    assert.equal(payload.embeds[0].url, event.url);
    assert.equal(payload.embeds[0].timestamp, '2026-01-01T00:00:00.000Z');
    const long = buildDiscordPayload({ ...event, title: 'x'.repeat(400) }, {}) as any;
    assert.equal(long.embeds[0].title.length, 256);
  });

  it('posts to the webhook (204 is success)', async () => {
    const receiver = await startHttpReceiver({ okStatus: 204, okBody: '' });
    after(() => receiver.close());
    await discord.send(event, discordSchema.parse({ url: `${receiver.url}/api/webhooks/1/abc` }), { signal: AbortSignal.timeout(10_000) });
    assert.equal(receiver.requests[0].json().embeds[0].footer.text, 'Upstate');
  });
});
