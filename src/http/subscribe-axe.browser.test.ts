import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../../test/support/browser.ts';
import { createApp } from './create-app.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/receivers/smtp-receiver.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core in Chromium on the subscribe pages (the form, the form with an error, the message
 * after signing up, the confirm and unsubscribe buttons, an invalid link, and the form when
 * email is off), light and dark, phone and desktop: no serious or critical violation.
 */
describe('accessibility of the subscribe pages (axe-core in Chromium)', { skip: browserAvailable() ? false : 'chromium is not installed (apt-get install -y chromium)' }, () => {
  let browser: Browser;
  let store: EmbeddedStore;
  let smtp: SmtpReceiver;
  let cleanup: () => Promise<void>;
  let server: { url: string; close: () => Promise<void> };
  let plain: { url: string; close: () => Promise<void> };
  let app: ReturnType<typeof createApp> | undefined;
  let links: { confirm: string; unsubscribe: string };

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    smtp = await startSmtpReceiver();
    const checks = [testCheck('Website'), testCheck('API', { group: 'Core services' }), testCheck('Authentication', { group: 'Core services' }), testCheck('Database', { group: 'Infrastructure' })];
    server = await startServer({ fetch: (request: Request) => app!.fetch(request) });
    const smtpConfig = { host: smtp.host, port: smtp.port, from: 'status@example.com', to: ['ops@example.com'], requireTLS: false, subjectPrefix: '' };
    const config = testConfig(checks, {
      page: { title: 'Acme Cloud status', publicUrl: server.url },
      subscriptions: { email: { notifier: 'mail', confirmWithinMs: 3_600_000, smtp: smtpConfig }, rateLimit: { perAddressPerHour: 3, perClientPerHour: 20, sendsPerMinute: 60 } },
    });
    app = createApp({ config, store });
    plain = await startServer(createApp({ config: testConfig(checks, { page: { title: 'Acme Cloud status' } }), store }));
    // one confirmed subscriber, for a live unsubscribe link, and one pending, for a live confirm link
    for (const email of ['done@example.com', 'pending@example.com']) await fetch(`${server.url}/subscribe`, { method: 'POST', body: new URLSearchParams({ email }) });
    await smtp.waitFor(2);
    const linkOf = (address: string, path: string) => new RegExp(`${server.url}${path}\\?[^\\s"<>]+`).exec(smtp.messages.find((m) => m.to.includes(address))!.decoded)![0].replace(/&amp;/g, '&');
    const confirmDone = new URL(linkOf('done@example.com', '/subscribe/confirm'));
    await fetch(`${server.url}/subscribe/confirm`, { method: 'POST', body: confirmDone.searchParams });
    const [done] = await store.listConfirmedSubscribers();
    links = { confirm: linkOf('pending@example.com', '/subscribe/confirm'), unsubscribe: `${server.url}/subscribe/unsubscribe?id=${done.id}&token=${done.unsubscribeToken}` };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await plain?.close();
    await smtp?.close();
    await cleanup?.();
  });

  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`has no serious or critical violations on ${name} (${scheme})`, async () => {
        const page = await browser.newPage({ viewport, colorScheme: scheme, bypassCSP: true });
        const found: string[] = [];
        const audit = async (label: string) => {
          await page.evaluate(AXE_SOURCE);
          const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
          for (const v of violations) {
            if (v.impact !== 'serious' && v.impact !== 'critical') continue;
            for (const node of v.nodes) found.push(`${label} ${v.id} ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`);
          }
        };
        try {
          const pages: [string, string][] = [
            ['form', `${server.url}/subscribe`],
            ['confirm', links.confirm],
            ['unsubscribe', links.unsubscribe],
            ['invalid link', `${server.url}/subscribe/confirm?id=0&token=x`],
            ['email off', `${plain.url}/subscribe`],
          ];
          for (const [label, url] of pages) {
            await page.goto(url, { waitUntil: 'load' });
            await audit(label);
          }
          // the form after a refused address (error shown, field marked invalid), then after a sign-up
          await page.goto(`${server.url}/subscribe`);
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
