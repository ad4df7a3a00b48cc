import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../create-app.ts';
import { loadConfig } from '../../config/load-config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { HtmlValidate } from 'html-validate';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, startServer, testCheck, testConfig } from '../../../test/support/http-fixture.ts';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../../../test/support/receivers/smtp-receiver.ts';

const ADMIN = 'admin-token-0123456789abcdef';

/** The first link in a received email that starts with `prefix`. */
const linkIn = (mail: ReceivedMail, prefix: string) => {
  const found = new RegExp(`${prefix.replace(/[.?]/g, '\\$&')}[^\\s"<>]+`).exec(mail.decoded)?.[0];
  assert.ok(found, `a ${prefix} link in "${mail.subject}"`);
  return found.replace(/&amp;/g, '&');
};
const header = (mail: ReceivedMail, name: string) => {
  const headers = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(headers)?.[1];
};

function writeConfig(dir: string, smtpPort: number, publicUrl: string, extra = ''): string {
  const file = join(dir, 'upstate.yaml');
  writeFileSync(
    file,
    `page:
  title: Acme status
  publicUrl: ${publicUrl}
admin:
  tokens: [{ name: ops, token: ${ADMIN} }]
checks:
  - { name: API, group: Core, http: { url: "http://127.0.0.1:9/" } }
  - { name: Billing, group: Money, http: { url: "http://127.0.0.1:9/" } }
notifiers:
  ops-mail: { kind: email, host: 127.0.0.1, port: ${smtpPort}, from: "Acme <status@example.com>", to: ops@example.com }
subscriptions:
  email: { notifier: ops-mail }
${extra}`,
  );
  return file;
}

describe('email subscriptions: round trip through the local SMTP receiver', () => {
  let smtp: SmtpReceiver;
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let server: { url: string; close: () => Promise<void> };
  let app: ReturnType<typeof createApp> | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'upstate-subscribe-'));

  before(async () => {
    smtp = await startSmtpReceiver();
    ({ store, cleanup } = await openTestStore());
    // the app needs its public URL, which is known once the server listens
    server = await startServer({ fetch: (request: Request) => app!.fetch(request) });
    const config = await loadConfig(writeConfig(dir, smtp.port, server.url));
    app = createApp({ config, store });
  });
  after(async () => {
    await server.close();
    await smtp.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every subscribe page the round trip saw, checked by html-validate at the end. */
  const seen = new Map<string, string>();
  const keep = async (label: string, res: Response) => {
    const html = await res.text();
    seen.set(label, html);
    return html;
  };
  const to = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  const post = (path: string, body: Record<string, string | string[]>) => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const value of [v].flat()) form.append(k, value);
    return fetch(`${server.url}${path}`, { method: 'POST', body: form });
  };
  const adminJson = (method: string, path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const waitUntil = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 400 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(ok(), what);
  };

  it('subscribe, confirm by the emailed link, get incident emails, unsubscribe in one click, then nothing more', async () => {
    const page = await fetch(`${server.url}/`);
    assert.match(await page.text(), /<a href="\/subscribe">Subscribe to updates<\/a>/, 'the page footer links to /subscribe');
    const form = await keep('form', await fetch(`${server.url}/subscribe`));
    assert.match(form, /<input id="email" name="email" type="email"/);
    assert.match(form, /href="\/feed\.atom"/);

    // everything@ wants all; api@ only the API component
    for (const [email, check] of [['Everything@Example.com', []], ['api@example.com', ['API']]] as const) {
      const res = await post('/subscribe', { email, 'check[]': [...check] });
      assert.equal(res.status, 200);
      assert.match(await keep('signed up', res), /Check your inbox/);
    }
    await smtp.waitFor(2);
    const [everythingConfirm] = to('everything@example.com');
    const [apiConfirm] = to('api@example.com');
    assert.match(everythingConfirm.subject, /Confirm your subscription/);
    assert.equal(everythingConfirm.from, 'status@example.com', 'sent with the notifier\'s from');

    // the link only offers a button: a mail scanner's GET must not confirm
    const link = linkIn(everythingConfirm, `${server.url}/subscribe/confirm?`);
    const offered = await fetch(link);
    assert.equal(offered.status, 200);
    assert.match(await keep('confirm', offered), /Confirm subscription<\/button>/);
    assert.equal((await store.listConfirmedSubscribers()).length, 0, 'a GET of the link confirms nothing');
    for (const mail of [everythingConfirm, apiConfirm]) {
      const params = new URL(linkIn(mail, `${server.url}/subscribe/confirm?`)).searchParams;
      const done = await post('/subscribe/confirm', { id: params.get('id')!, token: params.get('token')! });
      assert.match(await keep('confirmed', done), /You are subscribed/);
    }
    const replay = await post('/subscribe/confirm', { id: new URL(link).searchParams.get('id')!, token: new URL(link).searchParams.get('token')! });
    assert.equal(replay.status, 404, 'a confirmation link works once');
    const stored = await store.listConfirmedSubscribers();
    assert.equal(stored.length, 2);
    assert.ok(stored.every((s) => s.confirmHash === undefined), 'no token kept after confirming');

    // an incident on Billing only, then one on API: FIFO queue, so api@ would have had Billing's first
    const billing = await adminJson('POST', '/api/v1/incidents', { title: 'Card payments failing', status: 'investigating', body: 'Looking into it.', checks: ['Billing'], impact: 'major' });
    assert.equal(billing.status, 201);
    const created = await adminJson('POST', '/api/v1/incidents', { title: 'API errors', status: 'investigating', body: 'Elevated 5xx.', checks: ['API'], impact: 'minor' });
    const { incident } = (await created.json()) as { incident: { id: string } };
    await waitUntil('both API incident emails', () => to('everything@example.com').length === 3 && to('api@example.com').length === 2);
    const apiNotices = to('api@example.com').slice(1);
    assert.deepEqual(apiNotices.map((m) => m.subject), ['[Acme status] New incident: API errors'], 'api@ got nothing about Billing');
    const [billingNotice, apiNotice] = to('everything@example.com').slice(1);
    assert.equal(billingNotice.subject, '[Acme status] New incident: Card payments failing');
    assert.match(apiNotice.decoded, /Elevated 5xx\./);
    const unsubscribe = header(apiNotice, 'List-Unsubscribe');
    assert.match(unsubscribe ?? '', /^<http:\/\/127\.0\.0\.1:\d+\/subscribe\/unsubscribe\?id=[0-9a-f]{32}&token=[\w-]+>$/);
    assert.equal(header(apiNotice, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.match(apiNotice.decoded, /Unsubscribe/, 'an unsubscribe link in the body too');

    // RFC 8058 one-click: a POST of the header's URL, no cookie, no form token
    const oneClick = await fetch(unsubscribe!.slice(1, -1), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(oneClick.status, 200);
    assert.match(await keep('unsubscribed', oneClick), /You are unsubscribed/);
    seen.set('invalid link', await replay.text());
    assert.deepEqual((await store.listConfirmedSubscribers()).map((s) => s.email), ['api@example.com']);

    // an update, then the resolve: api@ gets both; everything@ (queued first, had it been sent) gets none
    const sent = to('everything@example.com').length;
    await adminJson('PATCH', `/api/v1/incidents/${incident.id}`, { status: 'identified', body: 'A bad deploy.' });
    await adminJson('PATCH', `/api/v1/incidents/${incident.id}`, { status: 'resolved', body: 'Rolled back.' });
    await waitUntil('the update and resolve emails to api@', () => to('api@example.com').length === 4);
    assert.deepEqual(to('api@example.com').slice(2).map((m) => m.subject), ['[Acme status] Incident update: API errors', '[Acme status] Resolved: API errors']);
    assert.equal(to('everything@example.com').length, sent, 'nothing more after unsubscribing');

    // addresses are never public
    for (const path of ['/', '/subscribe', `/incidents/${incident.id}`, '/api/v1/status', '/feed.atom']) {
      const body = await (await fetch(`${server.url}${path}`)).text();
      assert.doesNotMatch(body, /example\.com/i, path);
    }
  });

  it('maintenance start and end are mailed; scheduling alone is not', async () => {
    const before = to('api@example.com').length;
    const scheduled = await adminJson('POST', '/api/v1/incidents', {
      kind: 'maintenance', title: 'Database upgrade', status: 'scheduled', body: 'Planned.', checks: ['API'], impact: 'maintenance',
      scheduledFor: new Date(Date.now() + 3_600_000).toISOString(), scheduledUntil: new Date(Date.now() + 7_200_000).toISOString(),
    });
    assert.equal(scheduled.status, 201, await scheduled.clone().text());
    const { incident } = (await scheduled.json()) as { incident: { id: string } };
    await adminJson('PATCH', `/api/v1/incidents/${incident.id}`, { status: 'in_progress', body: 'Started.' });
    await adminJson('PATCH', `/api/v1/incidents/${incident.id}`, { status: 'completed', body: 'Done.' });
    await waitUntil('maintenance emails', () => to('api@example.com').length === before + 2);
    assert.deepEqual(to('api@example.com').slice(before).map((m) => m.subject), [
      '[Acme status] Maintenance started: Database upgrade',
      '[Acme status] Maintenance completed: Database upgrade',
    ]);
  });

  it('refuses a bad address and throttles repeated sign-ups of one address', async () => {
    const bad = await post('/subscribe', { email: 'not-an-address' });
    assert.equal(bad.status, 400);
    assert.match(await keep('form with error', bad), /aria-invalid="true"/);
    const unknown = await post('/subscribe', { email: 'x@example.com', 'check[]': 'Nope' });
    assert.equal(unknown.status, 400);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post('/subscribe', { email: 'same@example.com' })).status);
    // default: 3 sign-ups an hour per address
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  });

  it('every subscribe page is valid HTML', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-implicit-close': 'off', 'attr-quotes': 'off', 'no-inline-style': 'off' } });
    assert.deepEqual([...seen.keys()].sort(), ['confirm', 'confirmed', 'form', 'form with error', 'invalid link', 'signed up', 'unsubscribed']);
    const problems: string[] = [];
    for (const [label, html] of seen) {
      const report = await validator.validateString(html);
      problems.push(...report.results.flatMap((r) => r.messages.map((m) => `${label}: ${m.ruleId} ${m.line}:${m.column} ${m.message}`)));
    }
    assert.deepEqual(problems, []);
  });
});

describe('subscriptions config', () => {
  it('names the file, line and field when the notifier is not an email channel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-subscribe-'));
    try {
      const file = writeConfig(dir, 2525, 'https://status.example.com').replace(/$/, '');
      writeFileSync(file, `${(await import('node:fs')).readFileSync(file, 'utf8').replace('notifier: ops-mail', 'notifier: pager')}`);
      await assert.rejects(loadConfig(file), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /upstate\.yaml:\d+ subscriptions\.email\.notifier: must name a notifier of kind email; configured email notifiers: ops-mail/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sign-up limit per client address', () => {
  it('refuses a client past perClientPerHour whatever addresses it uses, with Retry-After', async () => {
    const { store, cleanup } = await openTestStore();
    const smtp = await startSmtpReceiver();
    try {
      const smtpConfig = { host: smtp.host, port: smtp.port, from: 'status@example.com', to: ['ops@example.com'], requireTLS: false, subjectPrefix: '' };
      const config = testConfig([testCheck('API')], {
        page: { title: 'Acme status', publicUrl: 'https://status.example.com' },
        subscriptions: { email: { notifier: 'mail', confirmWithinMs: 3_600_000, smtp: smtpConfig }, rateLimit: { perAddressPerHour: 3, perClientPerHour: 3, sendsPerMinute: 60 } },
      });
      const app = createApp({ config, store });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await app.request('/subscribe', { method: 'POST', body: new URLSearchParams({ email: `person${i}@example.com` }) });
        statuses.push(res.status);
        retryAfter ??= res.headers.get('retry-after');
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      // 3 an hour: the next one is free after 20 minutes
      assert.ok(Number(retryAfter) > 1100 && Number(retryAfter) <= 1200, `Retry-After ${retryAfter}`);
      await smtp.waitFor(3);
      assert.deepEqual(smtp.messages.map((m) => m.to[0]).sort(), ['person0@example.com', 'person1@example.com', 'person2@example.com']);
    } finally {
      await smtp.close();
      await cleanup();
    }
  });
});

describe('docs/subscriptions.md', () => {
  it('its configuration example is a valid config', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'subscriptions.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
    const dir = mkdtempSync(join(tmpdir(), 'upstate-subscribe-'));
    try {
      writeFileSync(join(dir, 'upstate.yaml'), yaml);
      const config = await loadConfig(join(dir, 'upstate.yaml'), { env: { SMTP_PASSWORD: 'secret' } });
      assert.equal(config.subscriptions?.email?.smtp.host, 'smtp.acme.example');
      assert.equal(config.subscriptions?.email?.confirmWithinMs, 48 * 3_600_000);
      assert.deepEqual(config.subscriptions?.rateLimit, { perAddressPerHour: 3, perClientPerHour: 20, sendsPerMinute: 120 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook subscriptions', () => {
  it('POSTs signed notices for the chosen checks only, like alert webhooks', async () => {
    const { startHttpReceiver } = await import('../../../test/support/receivers/http-receiver.ts');
    const { createHmac } = await import('node:crypto');
    const receiver = await startHttpReceiver();
    const { store, cleanup } = await openTestStore();
    const dir = mkdtempSync(join(tmpdir(), 'upstate-subscribe-'));
    const file = join(dir, 'upstate.yaml');
    writeFileSync(
      file,
      `page: { title: Acme status, publicUrl: "https://status.acme.example" }
admin: { tokens: [{ name: ops, token: ${ADMIN} }] }
checks:
  - { name: API, group: Core, http: { url: "http://127.0.0.1:9/" } }
  - { name: Billing, group: Money, http: { url: "http://127.0.0.1:9/" } }
notifiers:
  status-hook: { kind: webhook, url: "${receiver.url}/hook", secret: hook-secret-123, headers: { X-Team: core } }
subscriptions:
  webhooks: [{ notifier: status-hook, groups: [Core] }]
`,
    );
    try {
      const app = createApp({ config: await loadConfig(file), store });
      const api = (method: string, path: string, body: unknown) =>
        app.request(path, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.doesNotMatch(await (await app.request('/subscribe')).text(), /type="email"/, 'no email form without subscriptions.email');
      await api('POST', '/api/v1/incidents', { title: 'Card payments failing', body: 'Looking.', checks: ['Billing'] });
      const created = await api('POST', '/api/v1/incidents', { title: 'API errors', body: 'Elevated 5xx.', checks: ['API'] });
      const { incident } = (await created.json()) as { incident: { id: string } };
      await api('PATCH', `/api/v1/incidents/${incident.id}`, { status: 'resolved', body: 'Fixed.' });
      await receiver.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const events = receiver.requests.map((r) => r.json<{ event: string; incident: { title: string; url: string; latestUpdate: { body: string } } }>());
      assert.deepEqual(events.map((e) => `${e.event} ${e.incident.title}`).sort(), ['incident-created API errors', 'incident-resolved API errors'], 'nothing about Billing');
      const resolved = events.find((e) => e.event === 'incident-resolved')!;
      assert.equal(resolved.incident.url, `https://status.acme.example/incidents/${incident.id}`);
      assert.equal(resolved.incident.latestUpdate.body, 'Fixed.');
      for (const request of receiver.requests) {
        assert.equal(request.headers['x-team'], 'core');
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['x-upstate-signature']))!;
        assert.equal(v1, createHmac('sha256', 'hook-secret-123').update(`${t}.${request.body}`).digest('hex'), 'signed over the exact body');
      }
    } finally {
      await receiver.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a webhook subscription naming a channel of another kind or an unknown group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-subscribe-'));
    const file = writeConfig(dir, 2525, 'https://status.example.com', '  webhooks: [{ notifier: ops-mail, groups: [Nope] }]\n');
    try {
      await assert.rejects(loadConfig(file), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /subscriptions\.webhooks\[0\]\.notifier: must name a notifier of kind webhook; configured webhook notifiers: none/);
        assert.match(error.message, /subscriptions\.webhooks\[0\]\.groups\[0\]: unknown group "Nope"/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
