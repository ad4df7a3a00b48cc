import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite, type Served } from '../../test/support/browser-site.ts';
import { seriousAxeViolations } from '../../test/support/axe.ts';
import { createApp } from './create-app.ts';
import { startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';
import { startSmtpReceiver } from '../../test/support/receivers/smtp-receiver.ts';

/**
 * axe-core in Chromium on the subscribe pages (the form, the form with an error, the message
 * after signing up, the confirm and unsubscribe buttons, an invalid link, and the form when
 * email is off), light and dark, phone and desktop: no serious or critical violation.
 */
describe('accessibility of the subscribe pages (axe-core in Chromium)', BROWSER_SUITE, () => {
  let plain: Served;
  let app: ReturnType<typeof createApp> | undefined;
  let links: { confirm: string; unsubscribe: string };

  const site = useBrowserSite(async (store, { onClose }) => {
    const smtp = await startSmtpReceiver();
    onClose(() => smtp.close());
    const checks = [testCheck('Website'), testCheck('API', { group: 'Core services' }), testCheck('Authentication', { group: 'Core services' }), testCheck('Database', { group: 'Infrastructure' })];
    const server = await startServer({ fetch: (request: Request) => app!.fetch(request) });
    const smtpConfig = { host: smtp.host, port: smtp.port, from: 'status@example.com', to: ['ops@example.com'], requireTLS: false, subjectPrefix: '' };
    const config = testConfig(checks, {
      page: { title: 'Acme Cloud status', publicUrl: server.url },
      subscriptions: { email: { notifier: 'mail', confirmWithinMs: 3_600_000, smtp: smtpConfig }, rateLimit: { perAddressPerHour: 3, perClientPerHour: 20, sendsPerMinute: 60 } },
    });
    app = createApp({ config, store });
    plain = await startServer(createApp({ config: testConfig(checks, { page: { title: 'Acme Cloud status' } }), store }));
    onClose(() => plain.close());
    // one confirmed subscriber, for a live unsubscribe link, and one pending, for a live confirm link
    for (const email of ['done@example.com', 'pending@example.com']) await fetch(`${server.url}/subscribe`, { method: 'POST', body: new URLSearchParams({ email }) });
    await smtp.waitFor(2);
    const linkOf = (address: string, path: string) => new RegExp(`${server.url}${path}\\?[^\\s"<>]+`).exec(smtp.messages.find((m) => m.to.includes(address))!.decoded)![0].replace(/&amp;/g, '&');
    const confirmDone = new URL(linkOf('done@example.com', '/subscribe/confirm'));
    await fetch(`${server.url}/subscribe/confirm`, { method: 'POST', body: confirmDone.searchParams });
    const [done] = await store.listConfirmedSubscribers();
    links = { confirm: linkOf('pending@example.com', '/subscribe/confirm'), unsubscribe: `${server.url}/subscribe/unsubscribe?id=${done.id}&token=${done.unsubscribeToken}` };
    return server;
  });

  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`has no serious or critical violations on ${name} (${scheme})`, async () => {
        const page = await site.browser.newPage({ viewport, colorScheme: scheme, bypassCSP: true });
        const found: string[] = [];
        const audit = async (label: string) => {
          found.push(...(await seriousAxeViolations(page, label)));
        };
        try {
          const pages: [string, string][] = [
            ['form', `${site.server.url}/subscribe`],
            ['confirm', links.confirm],
            ['unsubscribe', links.unsubscribe],
            ['invalid link', `${site.server.url}/subscribe/confirm?id=0&token=x`],
            ['email off', `${plain.url}/subscribe`],
          ];
          for (const [label, url] of pages) {
            await page.goto(url, { waitUntil: 'load' });
            await audit(label);
          }
          // the form after a refused address (error shown, field marked invalid), then after a sign-up
          await page.goto(`${site.server.url}/subscribe`);
          await page.fill('#email', 'not an address@x');
          await page.evaluate(`document.querySelector('#email').type = 'text'`); // past the browser's own check, to the server's
          // a submit navigates: wait for the answer page rather than read a document still loading
          await page.click('button[type=submit]');
          await page.locator('#email[aria-invalid="true"]').waitFor({ timeout: 15_000 });
          await audit('form with error');
          await page.fill('#email', `visitor-${name}-${scheme}@example.com`);
          await page.check('input[value="API"]');
          await page.click('button[type=submit]');
          await page.getByText('Check your inbox').first().waitFor({ timeout: 15_000 });
          await audit('signed up');
        } finally {
          await page.close();
        }
        assert.deepEqual(found, [], `${found.length} serious/critical nodes`);
      });
    }
  }
});
