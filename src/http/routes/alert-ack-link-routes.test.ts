import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck, type AlertingHarness } from '../../../test/support/receivers/alerting-harness.ts';
import { testConfig } from '../../../test/support/http-fixture.ts';
import { alertsConfigSchema } from '../../alerting/alerts-config.ts';
import { HtmlValidate } from 'html-validate';
import { createApp } from '../create-app.ts';

const MINUTE = 60_000;
const SECRET = 'ack-link-secret-0123456789abcdef0123456789';

describe('acknowledge links: message → confirm page (GET changes nothing) → POST acknowledges', () => {
  let hook: HttpReceiver;
  let harness: AlertingHarness;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    hook = await startHttpReceiver();
    const alerts = { defaults: { down: { repeatEvery: '1m' } }, ackLinks: { secret: SECRET, ttl: '1h' } };
    harness = await createAlertingHarness({
      alerts,
      notifiers: { hook: { kind: 'webhook', url: `${hook.url}/hook` } },
      checks: [testCheck('api')],
      publicUrl: 'https://status.example.com',
      dispatcher: { pollMs: 3_600_000 },
    });
    await harness.alerting.start();
    app = createApp({ config: testConfig([testCheck('api')], { alerts: alertsConfigSchema.parse(alerts) }), store: harness.store, now: () => harness.clock.now() });
  });
  after(async () => {
    await harness.close();
    await hook.close();
  });

  const kinds = () => hook.delivered().map((r) => r.json().kind as string);
  const record = async () => (await harness.store.readAlerts()).find((a) => a.key === 'down:api')!;
  async function round() {
    await harness.publish([{ check: 'api', status: 'down' }]);
    await harness.alerting.deliverNow();
    await harness.clock.advance(MINUTE);
  }

  it('carries a signed link that acknowledges only through the confirm button, and reminders stop', async () => {
    await round();
    await round(); // a reminder after 1m
    assert.deepEqual(kinds(), ['firing', 'reminder']);
    const firing = hook.delivered()[0].json();
    assert.match(firing.ackUrl, /^https:\/\/status\.example\.com\/alerts\/ack\?key=down%3Aapi&exp=\d+&sig=[0-9a-f]{64}$/);
    assert.ok(firing.summary.endsWith(`\nAcknowledge: ${firing.ackUrl}`), 'every channel shows it in the text');
    const link = new URL(firing.ackUrl);

    const page = await app.request(`${link.pathname}${link.search}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/alerts\/ack">/);
    const report = await new HtmlValidate({ extends: ['html-validate:standard'] }).validateString(html);
    assert.deepEqual(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)), []);
    assert.equal((await record()).ackedAt, undefined, 'GET changed nothing (a link preview cannot acknowledge)');

    const tampered = new URLSearchParams(link.search);
    tampered.set('key', 'down:web');
    assert.equal((await app.request('/alerts/ack', { method: 'POST', body: tampered })).status, 403, 'the signature covers the key');
    assert.equal((await record()).ackedAt, undefined);

    const confirmed = await app.request('/alerts/ack', { method: 'POST', body: new URLSearchParams(link.search) });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /is acknowledged \(ack link\)/);
    assert.equal((await record()).ackedBy, 'ack link');

    for (let i = 0; i < 3; i++) await round();
    assert.deepEqual(kinds(), ['firing', 'reminder'], 'no reminders after the acknowledgement');
  });

  it('refuses an expired link with 410 and answers 404 when links are off', async () => {
    const link = new URL(hook.delivered()[0].json().ackUrl);
    await harness.clock.advance(2 * 60 * MINUTE);
    assert.equal((await app.request(`${link.pathname}${link.search}`)).status, 410);
    assert.equal((await app.request('/alerts/ack', { method: 'POST', body: new URLSearchParams(link.search) })).status, 410);
    const off = createApp({ config: testConfig([testCheck('api')]), store: harness.store, now: () => harness.clock.now() });
    assert.equal((await off.request(`${link.pathname}${link.search}`)).status, 404);
  });
});
