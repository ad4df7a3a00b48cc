import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import { result, seed, startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const AT = Date.UTC(2026, 0, 10, 9, 12, 5);

/** Times in the visitor's zone (UTC on hover), one format, and the optional page zone without scripts. */
describe('times in a real browser', BROWSER_SUITE, () => {
  const site = useBrowserSite(async (store) => {
    await seed(store, [result('API', AT, 'up', 80, { statusCode: 200 })]);
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: 'Slow API', status: 'resolved', impact: 'minor', checks: ['API'], createdAt: AT, updatedAt: AT, resolvedAt: AT + 3_600_000, source: 'api',
      updates: [{ id: 'u1', status: 'resolved', body: 'Fixed.', at: AT + 3_600_000 }],
    });
  });
  const serve = async (page: Record<string, unknown> = {}) => {
    const server = await startServer(createApp({ config: testConfig([testCheck('API')], { page: { title: 'Acme', ...page } }), store: site.store, now: () => AT + 7_200_000 }));
    site.onClose(() => server.close());
    return server.url;
  };
  const cell = async (url: string, options: { timezoneId: string; javaScriptEnabled: boolean }) => {
    const context = await site.browser.newContext(options);
    try {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      const time = page.locator('time[data-abs]').first();
      return { text: await time.textContent(), title: await time.getAttribute('title') };
    } finally {
      await context.close();
    }
  };

  it('shows instants in the visitor\'s zone with UTC on hover', async () => {
    const url = `${await serve()}/checks/${componentId('API')}`;
    assert.deepEqual(await cell(url, { timezoneId: 'Asia/Tokyo', javaScriptEnabled: true }), { text: '2026-01-10 18:12:05 GMT+9', title: '2026-01-10 09:12:05 UTC' });
    assert.deepEqual(await cell(url, { timezoneId: 'Asia/Tokyo', javaScriptEnabled: false }), { text: '2026-01-10 09:12:05 UTC', title: '2026-01-10 09:12:05 UTC' });
    const incident = await cell(`${await serve()}/incidents/inc-1`, { timezoneId: 'America/New_York', javaScriptEnabled: true });
    assert.deepEqual(incident, { text: '2026-01-10 04:12:05 EST', title: '2026-01-10 09:12:05 UTC' });
  });

  it('writes times in the page time zone when one is configured', async () => {
    const url = `${await serve({ timeZone: 'Europe/Berlin' })}/checks/${componentId('API')}`;
    assert.deepEqual(await cell(url, { timezoneId: 'Asia/Tokyo', javaScriptEnabled: false }), { text: '2026-01-10 10:12:05 GMT+1', title: '2026-01-10 09:12:05 UTC' });
  });
});
