import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { BROWSER_SUITE, launchBrowser } from '../../test/support/browser.ts';
import { createApp } from './create-app.ts';
import type { CheckResult } from '../domain/result.ts';
import { openTestStore, result, seed, startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const ARTIFACTS = join(process.cwd(), 'artifacts');
const VIEWPORT = { width: 1280, height: 900 };

/** `count` checks in groups of 10 with 90 days of (6-hourly) history; `unhealthy` are down now. */
async function pageOf(count: number, unhealthy: readonly number[]) {
  const { store, cleanup } = await openTestStore();
  const names = Array.from({ length: count }, (_, i) => `Service ${String(i + 1).padStart(3, '0')}`);
  const checks = names.map((name, i) => testCheck(name, { group: `Region ${String.fromCharCode(65 + Math.floor(i / 10) % 26)}${Math.floor(i / 260) || ''}` }));
  const now = Date.now();
  const out: CheckResult[] = [];
  names.forEach((name, i) => {
    for (let h = 90 * 24; h >= 6; h -= 6) {
      const bad = h === 24 * (10 + (i % 50)) || (i % 7 === 0 && h === 24 * 3);
      out.push(result(name, now - h * HOUR, bad ? 'down' : i % 11 === 0 && h === 24 * 5 ? 'degraded' : 'up', 80, bad ? { failure: { class: 'timeout', message: 'x' } } : {}));
    }
    const down = unhealthy.includes(i);
    out.push(result(name, now - 30_000, down ? 'down' : 'up', 80, down ? { failure: { class: 'status', message: 'status 503' }, statusCode: 503 } : { statusCode: 200 }));
  });
  await seed(store, out);
  return { store, cleanup, config: testConfig(checks, { page: { title: `Acme status (${count} checks)` } }) };
}

/** The page's DOM, as seen by functions that run in the browser (this project compiles without lib.dom). */
declare const document: { documentElement: { scrollHeight: number }; querySelectorAll(s: string): { length: number } };

/**
 * A page people can scan at 100 and 500 checks: groups are `<details>` (so they work without
 * JavaScript) with one combined 90-day bar, healthy ones collapsed, and a 100-check healthy page
 * fits in about four desktop screens.
 */
describe('large pages in a real browser', BROWSER_SUITE, () => {
  let browser: Browser;
  const opened: { close(): Promise<void> }[] = [];
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const o of opened) await o.close();
    await browser?.close();
  });

  async function serve(count: number, unhealthy: readonly number[]) {
    const p = await pageOf(count, unhealthy);
    const server = await startServer(createApp({ config: p.config, store: p.store }));
    opened.push({ close: async () => { await server.close(); await p.cleanup(); } });
    return server.url;
  }
  const measure = async (url: string, shot: string, javaScriptEnabled = true) => {
    const context = await browser.newContext({ viewport: VIEWPORT, javaScriptEnabled });
    const page = await context.newPage();
    try {
      await page.goto(url, { waitUntil: 'load' });
      const height = (await page.evaluate(() => document.documentElement.scrollHeight)) as number;
      const groups = (await page.evaluate(() => [document.querySelectorAll('details.grp').length, document.querySelectorAll('details.grp[open]').length])) as number[];
      await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
      return { height, groups, page, context };
    } catch (error) {
      await context.close();
      throw error;
    }
  };

  it('fits a healthy 100-check page in about four desktop screens', async () => {
    const url = await serve(100, []);
    const { height, groups, context } = await measure(url, 'status-100-checks.png');
    await context.close();
    console.log(`100 healthy checks: ${height} px = ${(height / VIEWPORT.height).toFixed(1)} screens of ${VIEWPORT.height} px; groups ${groups.join(' / ')} open`);
    assert.deepEqual(groups, [10, 0], 'ten groups, all collapsed');
    assert.ok(height <= 4 * VIEWPORT.height, `${height} px`);
  });

  it('opens the unhealthy groups of a 500-check page, also without JavaScript', async () => {
    const url = await serve(500, [3, 4, 257]);
    for (const js of [true, false]) {
      const { height, groups, page, context } = await measure(url, js ? 'status-500-checks.png' : 'status-500-checks-nojs.png', js);
      try {
        console.log(`500 checks, 3 down (JavaScript ${js ? 'on' : 'off'}): ${height} px, groups ${groups.join(' / ')} open`);
        assert.deepEqual(groups, [50, 2]);
        // a collapsed group opens with the keyboard, without JavaScript too
        const summary = page.locator('details.grp:not([open]) > summary').first();
        await summary.focus();
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.querySelectorAll('details.grp[open]').length), 3);
        // a collapsed group carries a link to its page, not its rows: scripts load the rows in place
        const opened = page.locator('details.grp[open]').filter({ has: page.locator(':scope > summary:focus') });
        if (js) {
          await opened.locator('li.comp').first().waitFor({ timeout: 10_000 });
          assert.equal(await opened.locator('li.comp').count(), 10);
          assert.equal(await opened.locator('ol.bar').count(), 10);
          assert.equal(await opened.locator('ol.bar button').count(), 10, 'each loaded bar has its Tab stop');
        } else {
          assert.equal(await opened.locator('li.comp').count(), 0);
          await opened.locator('.lazy a').click();
          await page.waitForURL(/\/groups\//);
          assert.equal(await page.locator('li.comp').count(), 10);
        }
      } finally {
        await context.close();
      }
    }
  });
});
