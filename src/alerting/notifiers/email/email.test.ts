import { describe, it, before, after } from 'node:test';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import type { AlertEvent } from '../../../domain/alert.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../../../test/support/receivers/smtp-receiver.ts';
import { HtmlValidate } from 'html-validate';
import { buildEmail } from './email-payload.ts';
import { email, emailSchema } from './email-notifier.ts';
import { DeliveryError } from '../notifier.ts';

const event: AlertEvent = {
  key: 'down:shop',
  rule: 'down',
  check: 'shop <main>',
  kind: 'firing',
  state: 'ALARM',
  title: 'shop <main> is down\r\nBcc: victim@example.com',
  summary: 'Expected 200, got 503 <script>alert(1)</script> & "more"',
  at: Date.UTC(2026, 0, 1, 8, 30),
  url: 'https://status.example.com/c/shop?a=1&b="2"',
};

describe('email payload', () => {
  it('escapes every field in HTML and keeps the subject on one line', () => {
    const message = buildEmail(event, '[Upstate]');
    assert.equal(message.subject.includes('\n'), false);
    assert.match(message.subject, /^\[Upstate\] FIRING: shop <main> is down Bcc: victim@example.com$/);
    assert.ok(!message.html.includes('<script>'));
    assert.ok(message.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;'));
    assert.ok(message.html.includes('href="https://status.example.com/c/shop?a=1&amp;b=&quot;2&quot;"'));
    assert.ok(message.text.includes('Expected 200, got 503 <script>'), 'text body is literal');
    assert.ok(message.text.includes('Link: https://status.example.com/c/shop'));
  });

  it('renders a valid HTML document', async () => {
    const report = await new HtmlValidate({ extends: ['html-validate:standard'] }).validateString(buildEmail(event, '[Upstate]').html);
    assert.deepEqual(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)), []);
  });

  it('validates the channel config', () => {
    assert.deepEqual(emailSchema.parse({ host: 'smtp', from: 'a@b.c', to: 'x@y.z' }).to, ['x@y.z']);
    assert.equal(emailSchema.safeParse({ host: 'smtp', from: 'a@b.c', to: 'x@y.z', user: 'u' }).success, false, 'user without pass');
    assert.equal(emailSchema.safeParse({ host: 'smtp', from: 'a@b.c', to: 'nope' }).success, false);
  });
});

describe('email send over SMTP', () => {
  let smtp: SmtpReceiver;
  before(async () => {
    smtp = await startSmtpReceiver({ user: 'alerts', pass: 'pw' });
  });
  after(() => smtp.close());

  it('delivers HTML + text to every recipient with AUTH', async () => {
    const config = emailSchema.parse({ host: smtp.host, port: smtp.port, user: 'alerts', pass: 'pw', from: 'Upstate <up@example.com>', to: ['a@example.com', 'b@example.com'] });
    await email.send(event, config, { signal: AbortSignal.timeout(10_000) });
    const [mail] = await smtp.waitFor(1);
    assert.deepEqual(mail.to, ['a@example.com', 'b@example.com']);
    assert.equal(mail.from, 'up@example.com');
    assert.equal(mail.user, 'alerts');
    assert.equal(mail.subject, '[Upstate] FIRING: shop <main> is down Bcc: victim@example.com');
    assert.doesNotMatch(mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n')), /^Bcc:/m, 'no header injection');
    assert.match(mail.raw, /multipart\/alternative/);
    assert.ok(mail.decoded.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(mail.decoded.includes('Expected 200, got 503 <script>alert(1)</script>'));
  });

  it('fails retryably on 451 and permanently on bad credentials', async () => {
    const base = { host: smtp.host, port: smtp.port, from: 'up@example.com', to: 'a@example.com', user: 'alerts' };
    smtp.setMode('reject');
    await assert.rejects(email.send(event, emailSchema.parse({ ...base, pass: 'pw' }), { signal: AbortSignal.timeout(10_000) }), (e: unknown) => e instanceof DeliveryError && e.retryable);
    smtp.setMode('ok');
    await assert.rejects(email.send(event, emailSchema.parse({ ...base, pass: 'wrong' }), { signal: AbortSignal.timeout(10_000) }), (e: unknown) => e instanceof DeliveryError && !e.retryable);
  });

  // A send that ignored the signal would wait for nodemailer's own timeouts (30 s and more):
  // the node:test limit fails it long before, and the rejection must follow the abort.
  it('gives up at the signal when the server never answers', { timeout: 15_000 }, async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const config = emailSchema.parse({ host: '127.0.0.1', port: (silent.address() as AddressInfo).port, from: 'up@example.com', to: 'a@example.com' });
    const signal = AbortSignal.timeout(200);
    await assert.rejects(email.send(event, config, { signal }), /timed out/);
    assert.equal(signal.aborted, true, 'ended by the signal');
    assert.ok(sockets.size > 0, 'the server really was connected to and left silent');
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
