import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../domain/alert.ts';
import { buildSlackPayload } from './slack/slack-payload.ts';
import { buildDiscordPayload } from './discord/discord-payload.ts';
import { buildTeamsPayload } from './teams/teams-payload.ts';
import { buildPagerDutyEvent } from './pagerduty/pagerduty-payload.ts';
import { buildEmail } from './email/email-payload.ts';
import { buildSnsPublish } from './sns/sns-payload.ts';

// a pre-signed URL (1.6 kB) as the check's target, which every summary repeats, and worse
const presigned = `https://bucket.s3.amazonaws.com/health.json?X-Amz-Signature=${'a1b2&<>'.repeat(230)}`;
const name = `payments-${'very-long-name-'.repeat(20)}`;
const event = (summary: string, check = 'api'): AlertEvent => ({
  key: `down:${check}`,
  rule: 'down',
  check,
  kind: 'firing',
  state: 'ALARM',
  title: `${check} is down`,
  summary,
  at: Date.UTC(2026, 0, 10),
  url: 'https://status.example.com/checks/api',
  sequence: 1,
});
const cases: [string, AlertEvent][] = [
  ['a 1.6 kB pre-signed URL', event(`api (${presigned}): the check is down since 2026-01-10T00:00:00Z. Observed: HTTP 503.`)],
  ['a 50,000-character summary and a 300-character check name', event('x'.repeat(50_000), name)],
  ['a summary of astral characters', event('🔥'.repeat(5_000), name)],
];
const ellipsis = (text: string) => text.endsWith('…');

describe('every channel fits its documented limits, clipping with an ellipsis', () => {
  for (const [label, e] of cases) {
    it(`slack: section and context text ≤ 3,000 characters (${label})`, () => {
      const payload = buildSlackPayload(e, {}) as any;
      const [section, context] = payload.attachments[0].blocks;
      assert.ok(section.text.text.length <= 3_000, `section ${section.text.text.length}`);
      assert.ok(ellipsis(section.text.text));
      assert.ok(context.elements[0].text.length <= 3_000);
      assert.ok(payload.text.length <= 3_000);
      assert.doesNotMatch(section.text.text, /&[a-z]*…$/, 'never cuts an escape in half');
    });

    it(`discord: title 256, description 4,096, field values 1,024, embed total 6,000 (${label})`, () => {
      const [embed] = (buildDiscordPayload(e, {}) as any).embeds;
      assert.ok(embed.title.length <= 256 && embed.description.length <= 4_096);
      assert.equal(ellipsis(embed.description), e.summary.length > 4_096);
      for (const field of embed.fields) assert.ok(field.value.length <= 1_024 && field.name.length <= 256);
      const total = embed.title.length + embed.description.length + embed.footer.text.length + embed.fields.reduce((n: number, f: any) => n + f.name.length + f.value.length, 0);
      assert.ok(total <= 6_000, `embed total ${total}`);
    });

    it(`teams: both card formats stay under 28 KB (${label})`, () => {
      for (const format of ['adaptiveCard', 'messageCard'] as const) {
        const body = JSON.stringify(buildTeamsPayload(e, format));
        assert.ok(Buffer.byteLength(body) <= 28 * 1024, `${format}: ${Buffer.byteLength(body)} bytes`);
        if (e.summary.length > 4_000) assert.match(body, /…/);
      }
    });

    it(`pagerduty: summary ≤ 1,024 and dedup_key ≤ 255 characters (${label})`, () => {
      const body = buildPagerDutyEvent(e, { routingKey: 'r'.repeat(32), severity: 'critical', source: 'upstate' }) as any;
      assert.ok(body.payload.summary.length <= 1_024);
      assert.ok((body.dedup_key as string).length <= 255);
      assert.ok(Buffer.byteLength(JSON.stringify(body)) <= 512 * 1024);
    });

    it(`email and sns: subjects fit (${label})`, () => {
      const mail = buildEmail({ ...e, title: `${e.check} is down ${e.summary}` }, '[Upstate]');
      assert.ok(mail.subject.length <= 250 && ellipsis(mail.subject), `subject ${mail.subject.length}`);
      const sns = buildSnsPublish({ ...e, title: `${e.check} is down ${e.summary}` }, 'arn:aws:sns:eu-west-1:123456789012:t', '[Upstate]');
      assert.ok(sns.Subject.length <= 100);
      assert.ok(Buffer.byteLength(sns.Message) <= 256 * 1024);
    });
  }

  it('a short message is left whole', () => {
    const e = event('api: the check is down.');
    assert.equal((buildSlackPayload(e, {}) as any).attachments[0].blocks[0].text.text, '*<https://status.example.com/checks/api|api is down>*\napi: the check is down.');
    assert.equal((buildPagerDutyEvent(e, { routingKey: 'r', severity: 'critical', source: 's' }) as any).dedup_key, 'down:api');
  });
});
