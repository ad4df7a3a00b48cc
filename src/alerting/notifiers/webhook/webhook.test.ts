import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startHttpReceiver, type HttpReceiver } from '../../../../test/support/receivers/http-receiver.ts';
import { buildWebhookRequest } from './webhook-payload.ts';
import { webhook, webhookSchema } from './webhook-notifier.ts';
import { DeliveryError } from '../notifier.ts';

const event: AlertEvent = {
  key: 'down:api',
  rule: 'down',
  check: 'api "prod"',
  kind: 'firing',
  state: 'ALARM',
  title: 'api "prod" is down',
  summary: 'line one\nline "two" <b>',
  at: Date.UTC(2026, 0, 1, 12, 0, 0),
  url: 'https://status.example.com/checks/api',
};

const SENT = Date.UTC(2026, 0, 1, 12, 0, 5);

/** The receiver-side check exactly as docs/alerting.md shows it (a 5-minute tolerance). */
function verifyUpstateSignature(header: string, rawBody: string, secret: string, now: number): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, signature] = match;
  if (Math.abs(now / 1000 - Number(t)) > 300) return false; // too old (or from the future): a replay
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(expected, 'hex'));
}

describe('webhook payload', () => {
  it('sends the event as JSON by default, signed over the exact body', () => {
    const request = buildWebhookRequest(event, { contentType: 'application/json', signatureHeader: 'X-Sig', secret: 's3cret', headers: { 'X-Team': 'ops' } }, SENT);
    const body = JSON.parse(request.body);
    assert.equal(body.version, 1);
    assert.equal(body.key, 'down:api');
    assert.equal(body.time, '2026-01-01T12:00:00.000Z');
    assert.equal(request.headers['x-team'], 'ops');
    const overridden = buildWebhookRequest(event, { contentType: 'text/plain', signatureHeader: 'X-Sig', headers: { 'Content-Type': 'application/xml' } }, SENT);
    assert.deepEqual(overridden.headers, { 'content-type': 'text/plain' }, 'one content-type, from contentType');
    const seconds = Math.floor(SENT / 1000);
    const expected = `t=${seconds},v1=${createHmac('sha256', 's3cret').update(`${seconds}.${request.body}`).digest('hex')}`;
    assert.equal(request.headers['x-sig'], expected);
  });

  it('signs the send time with the body, so a captured request cannot be replayed later (the documented check)', () => {
    const request = buildWebhookRequest(event, { contentType: 'application/json', signatureHeader: 'X-Upstate-Signature', secret: 's3cret' }, SENT);
    const header = request.headers['x-upstate-signature'];
    assert.equal(verifyUpstateSignature(header, request.body, 's3cret', SENT + 30_000), true);
    assert.equal(verifyUpstateSignature(header, request.body, 's3cret', SENT + 10 * 60_000), false, 'replayed ten minutes later');
    assert.equal(verifyUpstateSignature(header, request.body.replace('ALARM', 'OK'), 's3cret', SENT), false, 'body changed');
    const moved = header.replace(/^t=\d+/, `t=${Math.floor(SENT / 1000) + 600}`);
    assert.equal(verifyUpstateSignature(moved, request.body, 's3cret', SENT + 600_000), false, 'timestamp moved forward');
    assert.equal(verifyUpstateSignature(header, request.body, 'other', SENT), false);
  });

  const render = (template: string, contentType = 'application/json') => buildWebhookRequest(event, { template, contentType, signatureHeader: 'X-Upstate-Signature' }, 0).body;

  it('escapes values inside a JSON template so the body stays valid JSON', () => {
    const body = render('{"text": "{{ title }}: {{summary}}", "event": {{ json }}, "link": "{{ url }}"}');
    const parsed = JSON.parse(body);
    assert.equal(parsed.text, `${event.title}: ${event.summary}`);
    assert.equal(parsed.event.check, event.check);
    assert.equal(parsed.link, event.url);
    assert.equal(render('{{ check }} {{ kind }}', 'text/plain'), 'api "prod" firing');
  });

  it('templates are Nunjucks: conditions, filters and labels', () => {
    const labelled = { ...event, severity: 'critical', labels: { team: 'data "core"' } };
    const body = buildWebhookRequest(labelled, {
      template: '{"sev": "{{ severity | upper }}", "team": "{{ labels.team }}"{% if kind == "firing" %}, "page": true{% endif %}}',
      contentType: 'application/json', signatureHeader: 'X-Upstate-Signature',
    }, 0).body;
    assert.deepEqual(JSON.parse(body), { sev: 'CRITICAL', team: 'data "core"', page: true });
  });

  it('rejects unknown template variables, unknown filters, syntax errors and bad URLs at config load', () => {
    const message = (template: string) => webhookSchema.safeParse({ url: 'https://x.test/h', template }).error?.issues[0].message;
    assert.match(message('{{ nope }}') ?? '', /unknown template variable "nope"; use one of key, rule, check/);
    assert.match(message('{% if sevrity == "critical" %}x{% endif %}') ?? '', /unknown template variable "sevrity"/);
    assert.match(message('{{ title | shout }}') ?? '', /unknown template filter "shout"/);
    assert.match(message('{% if kind %}firing') ?? '', /template syntax error: .*expected elif, else, or endif/);
    assert.equal(message('{% for name, value in labels %}{{ name }}={{ value }} {% endfor %}{% set n = 1 %}{{ n }}'), undefined, 'loop and set names are known');
    assert.equal(webhookSchema.safeParse({ url: 'ftp://x' }).success, false);
    assert.equal(webhookSchema.safeParse({ url: 'https://x.test', extra: 1 }).success, false, 'strict');
  });
});

describe('webhook send', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver();
  });
  after(() => receiver.close());

  it('posts the signed body with custom headers to a real server', async () => {
    const config = webhookSchema.parse({ url: `${receiver.url}/hook?x=1`, secret: 'k', headers: { Authorization: 'Bearer t' } });
    await webhook.send(event, config, { signal: AbortSignal.timeout(10_000) });
    const [request] = receiver.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/hook?x=1');
    assert.equal(request.headers.authorization, 'Bearer t');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(verifyUpstateSignature(request.headers['x-upstate-signature'] as string, request.body, 'k', Date.now()), true);
    assert.equal(request.json().title, event.title);
  });

  // A send that ignored the signal would wait for undici's own timeouts (minutes): the
  // node:test limit fails it long before, and the rejection must follow the abort.
  it('fails with a retryable DeliveryError on 500 and on timeout', { timeout: 15_000 }, async () => {
    const config = webhookSchema.parse({ url: receiver.url });
    receiver.setMode('fail');
    await assert.rejects(webhook.send(event, config, { signal: AbortSignal.timeout(10_000) }), (e: unknown) => e instanceof DeliveryError && e.retryable && /HTTP 500/.test(e.message));
    receiver.setMode('hang');
    const signal = AbortSignal.timeout(150);
    await assert.rejects(webhook.send(event, config, { signal }), (e: unknown) => e instanceof DeliveryError && e.retryable && /timed out/.test(e.message));
    assert.equal(signal.aborted, true, 'the signal bounds the send');
    assert.equal(receiver.requests.at(-1)?.outcome, 'hang', 'the request reached the receiver and was left hanging');
    receiver.setMode('ok');
  });
});
