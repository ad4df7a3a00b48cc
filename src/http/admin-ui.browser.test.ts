import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { seriousAxeViolations } from '../../test/support/axe.ts';
import { createApp } from './create-app.ts';
import { result, seed, startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const ADMIN = 'admin-token-0123456789abcdef';
const CHECKS = [
  testCheck('Website'),
  testCheck('API', { group: 'Core services' }),
  testCheck('Authentication', { group: 'Core services' }),
  testCheck('Database', { group: 'Infrastructure' }),
];

/** The page's DOM, as seen by functions that run in the browser (this project compiles without lib.dom). */
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

/**
 * The admin UI in Chromium: an admin signs in and opens an incident with JavaScript off (plain
 * forms), and it shows on the public page, in the Statuspage v2 API and in both feeds; axe-core
 * finds no serious or critical problem on any admin page in light and dark, on a phone and a desktop.
 */
describe('admin UI in a real browser', BROWSER_SUITE, () => {
  let incidentPath = '';
  const site = useBrowserSite(async (store) => {
    const now = Date.now();
    await seed(store, CHECKS.flatMap((c) => [result(c.name, now - 2 * HOUR, 'up', 90), result(c.name, now - 30_000, 'up', 80)]));
    await store.saveIncident({
      id: 'mw-seeded', kind: 'maintenance', title: 'Database failover test', status: 'scheduled', impact: 'maintenance', checks: ['Database'],
      createdAt: now - HOUR, updatedAt: now - HOUR, scheduledFor: now + 48 * HOUR, scheduledUntil: now + 49 * HOUR, source: 'api',
      updates: [{ id: 'm1', status: 'scheduled', body: 'Writes pause for up to 30 seconds.', at: now - HOUR }],
    });
    const config = testConfig(CHECKS, { page: { title: 'Acme Cloud status' }, admin: { tokens: [{ name: 'ops', token: ADMIN }] } });
    return startServer(createApp({ config, store }));
  });

  it('signs in and opens an incident with JavaScript off; it appears on the page, in v2 and in the feeds', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${site.server.url}/admin`);
      assert.equal(new URL(page.url()).pathname, '/admin/login', 'signed-out visitors are sent to sign in');
      await page.fill('#token', ADMIN);
      await Promise.all([page.waitForURL(`${site.server.url}/admin`), page.click('button[type=submit]')]);

      await Promise.all([page.waitForURL(/\/admin\/incidents\/new$/), page.click('text=New incident >> nth=0')]);
      await page.fill('#f-title', 'Sign-in failures for some users');
      await page.selectOption('#f-status', 'identified');
      await page.selectOption('#f-impact', 'major');
      await page.check('input[name=checks][value="Authentication"]');
      await page.fill('#f-body', 'A certificate rotation broke token refresh; rolling back.');
      // a real browser's own Origin and Sec-Fetch-Site pass the cross-site check
      await Promise.all([page.waitForURL(/\/admin\/incidents\/inc_[0-9a-f]{16}\?done=created$/), page.click('button:has-text("Open incident")')]);
      assert.match(await page.textContent('[role=status]') ?? '', /Incident opened/);
      incidentPath = new URL(page.url()).pathname;
      const id = incidentPath.split('/').pop()!;

      await page.goto(`${site.server.url}/`);
      assert.match(await page.textContent('main') ?? '', /Sign-in failures for some users/);
      const v2 = (await (await fetch(`${site.server.url}/api/v2/incidents.json`)).json()) as { incidents: { id: string; name: string; status: string; impact: string; components: { name: string }[] }[] };
      const listed = v2.incidents.find((i) => i.id === id);
      assert.deepEqual([listed?.name, listed?.status, listed?.impact, listed?.components.map((c) => c.name)], ['Sign-in failures for some users', 'identified', 'major', ['Authentication']]);
      for (const feed of ['/feed.atom', '/feed.rss']) assert.match(await (await fetch(`${site.server.url}${feed}`)).text(), /Sign-in failures for some users/, feed);

      // update and resolve through the same page
      await page.goto(`${site.server.url}${incidentPath}`);
      await page.selectOption('#f-status', 'monitoring');
      await page.fill('#f-body', 'Rolled back; watching error rates.');
      await Promise.all([page.waitForURL(/done=updated$/), page.click('button:has-text("Post update")')]);
      await page.fill('#f-resolve', 'Error rates are back to normal.');
      await Promise.all([page.waitForURL(/done=resolved$/), page.click('button:has-text("Resolve incident")')]);
      const unresolved = (await (await fetch(`${site.server.url}/api/v2/incidents/unresolved.json`)).json()) as { incidents: { id: string }[] };
      assert.ok(!unresolved.incidents.some((i) => i.id === id));
      const stored = await site.store.getIncident(id);
      assert.deepEqual(stored?.updates.map((u) => u.status), ['identified', 'monitoring', 'resolved']);
    } finally {
      await context.close();
    }
  });

  /** A signed-in page in a fresh context (the session cookie set from a sign-in over HTTP). */
  async function signedInPage(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
    const res = await fetch(`${site.server.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: ADMIN }), redirect: 'manual' });
    const value = /upstate_admin=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? assert.fail('no session cookie');
    const context = await site.browser.newContext(options);
    await context.addCookies([{ name: 'upstate_admin', value, url: site.server.url, httpOnly: true, sameSite: 'Strict' }]);
    return context.newPage();
  }

  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`admin pages have no serious or critical axe violations on ${name} (${scheme}), fit the width and have large targets`, async () => {
        // axe is injected through the DevTools protocol; the page's CSP still applies to its own scripts
        const page = await signedInPage({ viewport, colorScheme: scheme, bypassCSP: true });
        const found: string[] = [];
        const visit = async (label: string) => {
          found.push(...(await seriousAxeViolations(page, label)));
          const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          assert.ok(width[0]! <= width[1]!, `${label}: ${width[0]}px wide in a ${width[1]}px viewport`);
        };
        try {
          for (const path of ['/admin?done=updated', '/admin/incidents/new', '/admin/maintenance/new', incidentPath || '/admin', '/admin/incidents/mw-seeded']) {
            await page.goto(`${site.server.url}${path}`);
            await visit(path);
          }
          // the error states too: the form sent empty shows every field's message
          await page.goto(`${site.server.url}/admin/maintenance/new`);
          await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Schedule maintenance")')]);
          assert.ok((await page.locator('.ferr').count()) >= 2, 'errors shown next to the fields');
          await visit('maintenance form with errors');
          const box = await page.locator('button:has-text("Schedule maintenance")').boundingBox();
          assert.ok(box && box.height >= 44, `submit button is ${box?.height}px tall`);
        } finally {
          await page.context().close();
        }
        assert.deepEqual(found, [], `${found.length} serious/critical nodes`);
      });
    }
  }
});
