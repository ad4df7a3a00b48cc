import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { componentId } from '../status/component-id.ts';
import { pagesConfigSchema } from './page-config.ts';
import { result, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const SECRET = 'internal-secret-123';
const DB = componentId('Billing DB');

/** The page's DOM, as seen by functions that run in the browser (this project compiles without lib.dom). */
declare const document: { getElementById(id: string): { getAttribute(n: string): string | null } | null };

/**
 * A page under a path prefix works in a real browser: its script, live events and day popover
 * all use the prefix (and the page's own auth header), and show only the page's checks.
 */
describe('a page under a path prefix (Chromium)', BROWSER_SUITE, () => {
  const bus = createResultBus();
  const site = useBrowserSite(async (store) => {
    const now = Date.now();
    await seed(store, ['Website', 'Billing DB'].flatMap((name) => [result(name, now - 3_600_000, 'up', 80), result(name, now - 60_000, 'up', 80)]));
    await store.saveIncident({ id: 'inc-db', kind: 'incident', title: 'Billing DB replication lag', status: 'resolved', impact: 'minor', checks: ['Billing DB'], createdAt: now - 3_000_000, updatedAt: now - 2_000_000, resolvedAt: now - 2_000_000, source: 'api', updates: [] });
    const pages = pagesConfigSchema.parse([{ path: '/internal', title: 'Internal', groups: ['Internal'], auth: { header: 'X-Internal-Auth', secrets: [SECRET] } }]);
    const config = { ...testConfig([testCheck('Website', { group: 'Public' }), testCheck('Billing DB', { group: 'Internal' })]), pages };
    return startServer(createApp({ config, store, bus }));
  });

  it('runs its script, live updates and day popover under the prefix', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'X-Internal-Auth': SECRET } });
    const page = await context.newPage();
    try {
      await page.goto(`${site.server.url}/internal/`, { waitUntil: 'load' });
      assert.equal(await page.locator(`#c-${componentId('Website')}`).count(), 0, 'the public check is not on this page');
      await page.locator('.live').waitFor({ state: 'visible', timeout: 10_000 });
      await page.focus(`#c-${DB} .name a`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const pop = page.locator('#day-pop');
      await pop.getByText('Uptime').waitFor({ timeout: 10_000 });
      assert.equal(await pop.getByRole('link', { name: 'Billing DB replication lag' }).getAttribute('href'), '/internal/incidents/inc-db');
      const results = [result('Billing DB', Date.now(), 'down', 9000, { failure: { class: 'timeout', message: 'x' } })];
      await seed(site.store, results);
      await bus.publish({ results, states: statesAfter(results) });
      await page.waitForFunction((id) => document.getElementById(id)?.getAttribute('data-status') === 'down', `c-${DB}`, { timeout: 15_000 });
      await pop.getByRole('link', { name: 'Billing DB replication lag' }).click();
      await page.waitForURL(`${site.server.url}/internal/incidents/inc-db`);
      assert.match(await page.locator('h1').first().textContent() ?? '', /Billing DB replication lag/);
    } finally {
      await context.close();
    }
  });
});
