import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { seriousAxeViolations } from '../../test/support/axe.ts';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckResult } from '../domain/result.ts';
import { result, seed, startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const CHECKS = [
  testCheck('Website', { description: 'www.acme.example' }),
  testCheck('API', { group: 'Core services', description: 'Public REST API' }),
  testCheck('Authentication', { group: 'Core services' }),
  testCheck('Database', { group: 'Infrastructure' }),
  testCheck('Object storage', { group: 'Infrastructure' }),
  testCheck('Email delivery', { group: 'Infrastructure' }),
];

/** A week of hourly results with one bad day per check, then a current outage and a slow check. */
function history(now: number): CheckResult[] {
  const out: CheckResult[] = [];
  CHECKS.forEach((check, i) => {
    for (let h = 7 * 24; h > 0; h--) {
      const bad = Math.floor(h / 24) === 1 + (i % 5) && h % 24 < 2;
      out.push(result(check.name, now - h * HOUR, bad ? 'down' : 'up', 80 + i * 20, bad ? { failure: { class: 'timeout', message: 'no response' } } : { statusCode: 200 }));
    }
  });
  out.push(result('Email delivery', now - 40_000, 'degraded', 2400, { statusCode: 200 }));
  out.push(result('Object storage', now - 25_000, 'down', 10_000, { failure: { class: 'timeout', message: 'no response within 10s' } }));
  return out;
}

/**
 * axe-core in Chromium on every public page and the sign-in page, in light and dark, on a phone
 * and a desktop: no serious or critical violation (colour contrast is the one that bit before).
 */
describe('accessibility (axe-core in Chromium)', BROWSER_SUITE, () => {
  // the same page with its healthy groups collapsed (as on a large page)
  let collapsed: { url: string; close: () => Promise<void> };
  const site = useBrowserSite(async (store, { onClose }) => {
    const now = Date.now();
    await seed(store, history(now));
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: 'Elevated errors on object storage', status: 'identified', impact: 'major',
      checks: ['Object storage'], createdAt: now - 20 * 60_000, updatedAt: now - 5 * 60_000, source: 'api',
      updates: [{ id: 'u1', status: 'identified', body: 'A storage node lost its disk.', at: now - 5 * 60_000 }],
    });
    await store.saveIncident({
      id: 'mw-1', kind: 'maintenance', title: 'Database failover test', status: 'scheduled', impact: 'maintenance', checks: ['Database'],
      createdAt: now - DAY, updatedAt: now - DAY, scheduledFor: now + 2 * DAY, scheduledUntil: now + 2 * DAY + HOUR, source: 'api',
      updates: [{ id: 'm1', status: 'scheduled', body: 'Writes pause for up to 30 seconds.', at: now - DAY }],
    });
    const config = testConfig(CHECKS, { page: { title: 'Acme Cloud status' }, admin: { tokens: [{ name: 'ops', token: 'admin-token-0123456789abcdef' }] } });
    collapsed = await startServer(createApp({ config: { ...config, page: { ...config.page, collapseGroupsAbove: 0 } }, store }));
    onClose(() => collapsed.close());
    return startServer(createApp({ config, store }));
  });

  const urls = () => [`${collapsed.url}/`, ...paths().map((p) => `${site.server.url}${p}`)];
  const paths = () => ['/', `/groups/${componentId('group:Infrastructure')}`, `/checks/${componentId('Object storage')}`, `/checks/${componentId('Email delivery')}`, `/checks/${componentId('API')}`, '/incidents', '/incidents/inc-1', '/incidents/mw-1', '/admin/login'];

  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`has no serious or critical violations on ${name} (${scheme})`, async () => {
        // axe is injected through the DevTools protocol; the page's CSP still applies to its own scripts
        const page = await site.browser.newPage({ viewport, colorScheme: scheme, bypassCSP: true });
        const found: string[] = [];
        try {
          for (const url of urls()) {
            const path = new URL(url).pathname;
            await page.goto(url, { waitUntil: 'load' });
            found.push(...(await seriousAxeViolations(page, path)));
          }
        } finally {
          await page.close();
        }
        assert.deepEqual(found, [], `${found.length} serious/critical nodes`);
      });
    }
  }
});
