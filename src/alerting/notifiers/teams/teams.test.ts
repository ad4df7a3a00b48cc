import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startHttpReceiver } from '../../../../test/support/receivers/http-receiver.ts';
import { buildAdaptiveCard, buildMessageCard, escapeTeamsMarkdown } from './teams-payload.ts';
import { teams, teamsSchema } from './teams-notifier.ts';

const event: AlertEvent = {
  key: 'faults:api',
  rule: 'faults',
  check: 'api_v2',
  kind: 'firing',
  state: 'ALARM',
  title: 'api_v2: elevated server errors (5xx)',
  summary: '12% 5xx [details]',
  at: Date.UTC(2026, 0, 1),
  url: 'https://status.example.com/c/api',
};

describe('teams', () => {
  it('builds a MessageCard with escaped markdown and an open action', () => {
    const card = buildMessageCard(event) as any;
    assert.equal(card['@type'], 'MessageCard');
    assert.equal(card.themeColor, 'd93025');
    assert.equal(card.text, '12% 5xx \\[details\\]');
    assert.equal(card.potentialAction[0].targets[0].uri, event.url);
    assert.equal(escapeTeamsMarkdown('a_b*c'), 'a\\_b\\*c');
  });

  it('builds an Adaptive Card in a message envelope', () => {
    const message = buildAdaptiveCard(event) as any;
    const content = message.attachments[0].content;
    assert.equal(message.type, 'message');
    assert.equal(message.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(content.type, 'AdaptiveCard');
    assert.equal(content.body[0].color, 'Attention');
    assert.equal(content.body[2].facts.find((f: any) => f.title === 'Check').value, 'api_v2');
    assert.equal(content.actions[0].url, event.url);
  });

  it('posts the configured format', async () => {
    const receiver = await startHttpReceiver();
    after(() => receiver.close());
    await teams.send(event, teamsSchema.parse({ url: receiver.url, format: 'messageCard' }), { signal: AbortSignal.timeout(10_000) });
    await teams.send(event, teamsSchema.parse({ url: receiver.url }), { signal: AbortSignal.timeout(10_000) });
    assert.equal(receiver.requests[0].json()['@type'], 'MessageCard');
    assert.equal(receiver.requests[1].json().type, 'message');
  });
});
