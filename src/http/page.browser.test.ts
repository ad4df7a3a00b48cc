import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckResult } from '../domain/result.ts';
import { result, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ARTIFACTS = join(process.cwd(), 'artifacts');

const CHECKS = [
  testCheck('Website', { description: 'www.acme.example' }),
  testCheck('API', { group: 'Core services', description: 'Public REST API' }),
  testCheck('Authentication', { group: 'Core services', description: 'Sign-in and tokens' }),
  testCheck('Database', { group: 'Infrastructure' }),
  testCheck('Object storage', { group: 'Infrastructure', description: 'Uploads and downloads' }),
  testCheck('Email delivery', { group: 'Infrastructure' }),
  testCheck('Global edge', { group: 'Infrastructure', description: 'Anycast CDN', regions: ['eu-west', 'us-east', 'ap-south'], quorum: 2 }),
];

/** 90 days of hourly results with a few bad days, plus a dense last 24 hours. */
function history(now: number): CheckResult[] {
  const out: CheckResult[] = [];
  CHECKS.forEach((check, i) => {
    const base = 60 + i * 35;
    for (let h = 90 * 24; h > 24; h--) {
      const at = now - h * HOUR;
      const day = Math.floor(h / 24);
      const bad = (day === 12 + i * 9 && h % 24 < 3) || (day === 41 && i === 4 && h % 24 < 9) || (day === 63 && i === 1 && h % 24 === 5);
      out.push(result(check.name, at, bad ? 'down' : 'up', base + ((h * 37) % 50), bad ? { failure: { class: 'timeout', message: 'no response within 10s' } } : {}));
    }
    for (let m = 24 * 60; m > 0; m -= 10) {
      const at = now - m * 60_000;
      const wave = Math.round(base + 25 * Math.sin(m / 90) + ((m * 13) % 40));
      out.push(result(check.name, at, 'up', m % 370 === 0 ? wave * 6 : wave, { statusCode: 200 }));
    }
  });
  out.push(result('Email delivery', now - 40_000, 'degraded', 2400, { statusCode: 200 }));
  out.push(result('Object storage', now - 25_000, 'down', 10_000, { failure: { class: 'timeout', message: 'no response within 10s from storage.acme.example' } }));
  return out;
}

/** The page's DOM, as seen by functions that run in the browser (this project compiles without lib.dom). */
declare const document: { getElementById(id: string): { getAttribute(name: string): string | null } | null };

describe('status page in a real browser', BROWSER_SUITE, () => {
  const bus = createResultBus();
  const site = useBrowserSite(async (store) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const now = Date.now();
    await seed(store, history(now));
    // The multi-region check: one region slow, one that stopped reporting (not an outage).
    const edge = (await store.readStates()).find((x) => x.check === 'Global edge')!;
    await store.recordResults({
      results: [],
      states: [{ ...edge, regions: {
        'eu-west': { status: 'up', at: now - 30_000, latencyMs: 48 },
        'us-east': { status: 'degraded', at: now - 35_000, latencyMs: 1450 },
        'ap-south': { status: 'stale', at: now - 40 * 60_000, latencyMs: 210 },
      } }],
    });
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: 'Elevated errors on object storage', status: 'identified', impact: 'major',
      checks: ['Object storage'], createdAt: now - 20 * 60_000, updatedAt: now - 5 * 60_000, source: 'api',
      updates: [
        { id: 'u1', status: 'investigating', body: 'Uploads in eu-west are timing out. We are investigating.', at: now - 20 * 60_000 },
        { id: 'u2', status: 'identified', body: 'A storage node lost its disk; traffic is being moved to healthy nodes.', at: now - 5 * 60_000 },
      ],
    });
    await store.saveIncident({
      id: 'mw-1', kind: 'maintenance', title: 'Database failover test', status: 'scheduled', impact: 'maintenance', checks: ['Database'],
      createdAt: now - DAY, updatedAt: now - DAY, scheduledFor: now + 2 * DAY, scheduledUntil: now + 2 * DAY + HOUR, source: 'api',
      updates: [{ id: 'm1', status: 'scheduled', body: 'Writes pause for up to 30 seconds during the failover.', at: now - DAY }],
    });
    await store.saveIncident({
      id: 'inc-0', kind: 'incident', title: 'Slow sign-ins', status: 'resolved', impact: 'minor', checks: ['Authentication'],
      createdAt: now - 3 * DAY, updatedAt: now - 3 * DAY + HOUR, resolvedAt: now - 3 * DAY + HOUR, source: 'api',
      updates: [{ id: 'u0', status: 'resolved', body: 'A slow cache node was replaced; sign-ins are fast again.', at: now - 3 * DAY + HOUR }],
    });
    const config = testConfig(CHECKS, { page: { title: 'Acme Cloud status', links: [{ label: 'Support', url: 'mailto:support@acme.example' }, { label: 'acme.example', url: 'https://acme.example/' }] } });
    return startServer(createApp({ config, store, bus }));
  });

  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`renders the page at ${viewport.width}px (${scheme})`, async () => {
        const page = await site.browser.newPage({ viewport, colorScheme: scheme, deviceScaleFactor: name === 'phone' ? 2 : 1 });
        try {
          await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
          assert.equal(await page.locator('h1').first().textContent(), 'Partial outage');
          // Nothing overflows sideways: the page fits the viewport width.
          const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
          assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
          // The bar's visible part is exactly the last 30 (phone) or 90 (desktop) day columns,
          // aligned with the component's content box.
          const geometry = (await page.evaluate(`(() => {
            const comp = document.getElementById('c-${componentId('API')}');
            const ol = comp.querySelector('.bar').getBoundingClientRect();
            const row = comp.querySelector('.row').getBoundingClientRect();
            const column = (ol.width - 89 * 2) / 90 + 2;
            return { firstVisibleDay: Math.round((row.left - ol.left) / column), rightGap: Math.abs(ol.right - row.right), shownDays: Math.round((ol.right - row.left + 2) / column) };
          })()`)) as { firstVisibleDay: number; rightGap: number; shownDays: number };
          assert.deepEqual(geometry.firstVisibleDay, name === 'phone' ? 60 : 0);
          assert.equal(geometry.shownDays, name === 'phone' ? 30 : 90);
          assert.ok(geometry.rightGap < 1, `bar right edge off by ${geometry.rightGap}px`);
          // Stale regions read as "no recent reports".
          assert.match((await page.locator(`#c-${componentId('Global edge')} .rgs`).textContent()) ?? '', /ap-south no recent reports/);
          await page.screenshot({ path: join(ARTIFACTS, `status-${name}-${scheme}.png`), fullPage: true });
          await page.screenshot({ path: join(ARTIFACTS, `status-${name}-${scheme}-top.png`) });
          await page.goto(`${site.server.url}/checks/${componentId('API')}`, { waitUntil: 'load' });
          assert.equal(await page.locator('h1').first().textContent(), 'API');
          await page.screenshot({ path: join(ARTIFACTS, `check-${name}-${scheme}.png`), fullPage: true });
          await page.screenshot({ path: join(ARTIFACTS, `check-${name}-${scheme}-top.png`) });
        } finally {
          await page.close();
        }
      });
    }
  }

  it('updates a component live after results are published on the bus', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    // the live script must run under the page's Content-Security-Policy: any violation is a failure
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    try {
      const response = await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      assert.match((await response?.allHeaders())?.['content-security-policy'] ?? '', /script-src 'self'(;|$)/);
      const row = page.locator(`#c-${componentId('Object storage')}`);
      assert.equal(await row.getAttribute('data-status'), 'down');
      // generous waits, as in the other live tests: a CI host running two test files at once is slow
      await page.locator('.live').waitFor({ state: 'visible', timeout: 10_000 });
      const results = [result('Object storage', Date.now(), 'up', 95, { statusCode: 200 })];
      await seed(site.store, results);
      await bus.publish({ results, states: statesAfter(results) });
      // a function, not a string: string predicates need eval, which the page's CSP forbids
      await page
        .waitForFunction((id) => document.getElementById(id)?.getAttribute('data-status') === 'up', `c-${componentId('Object storage')}`, { timeout: 15_000 })
        .catch(async (error: unknown) => {
          throw new Error(`the row still says ${await row.getAttribute('data-status')} (live indicator visible: ${await page.locator('.live').isVisible()})`, { cause: error });
        });
      assert.match((await row.textContent()) ?? '', /Operational/);
      assert.deepEqual(violations, []);
      await page.screenshot({ path: join(ARTIFACTS, 'status-desktop-after-live-update.png') });
    } finally {
      await page.close();
    }
  });
});
