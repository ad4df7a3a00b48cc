import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlValidate } from 'html-validate';
import type { Page } from 'playwright-core';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { seriousAxeViolations } from '../../test/support/axe.ts';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckResult } from '../domain/result.ts';
import { result, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const API = componentId('API');
/**
 * The rules of html-validity.test.ts (omitted </li> and unquoted attributes are deliberate), read
 * from the live DOM: its serialiser writes boolean attributes as `open=""`, which says nothing of the markup.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'no-implicit-close': 'off', 'attr-quotes': 'off', 'no-inline-style': 'off', 'meta-refresh': 'off', 'attribute-boolean-style': 'off' },
});

/** The page's DOM, as seen by functions that run in the browser (this project compiles without lib.dom). */
declare const document: {
  getElementById(id: string): { getAttribute(n: string): string | null } | null;
  activeElement: { closest(s: string): unknown; getAttribute(n: string): string | null; textContent: string } | null;
  querySelector(s: string): { getBoundingClientRect(): { left: number; top: number; width: number; height: number }; textContent: string } | null;
};

/**
 * Day cells of the 90-day bar in Chromium: one Tab stop per bar, arrow keys between days, Enter
 * opens a popover with the day's figures and incident links; a tap opens it on a phone; axe and
 * html-validate stay clean with it open; without scripts the tooltip keeps the figures.
 */
describe('day cells and their popover (Chromium)', BROWSER_SUITE, () => {
  const bus = createResultBus();
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  /** Three UTC days ago: 10 one-minute results down (10 min), an incident that day. */
  const badDay = today - 3 * DAY;
  const badDate = new Date(badDay).toISOString().slice(0, 10);
  const site = useBrowserSite(async (store) => {
    const out: CheckResult[] = [];
    for (const name of ['API', 'Web']) {
      for (let h = 10 * 24; h >= 1; h--) out.push(result(name, now - h * HOUR, 'up', 80, { statusCode: 200 }));
    }
    for (let m = 0; m < 10; m++) out.push(result('API', badDay + 9 * HOUR + m * 60_000, 'down', 10_000, { failure: { class: 'timeout', message: 'no answer' } }));
    await seed(store, out);
    await store.saveIncident({
      id: 'inc-7', kind: 'incident', title: 'API timeouts in one zone', status: 'resolved', impact: 'major', checks: ['API'],
      createdAt: badDay + 9 * HOUR, updatedAt: badDay + 10 * HOUR, resolvedAt: badDay + 10 * HOUR, source: 'api',
      updates: [{ id: 'u1', status: 'resolved', body: 'A zone lost its network.', at: badDay + 10 * HOUR }],
    });
    const config = testConfig([testCheck('API', { group: 'Core' }), testCheck('Web', { group: 'Core' })], { page: { title: 'Acme status' } });
    return startServer(createApp({ config, store, bus }));
  });

  const active = (page: Page) => page.evaluate(() => {
    const a = document.activeElement;
    return a ? { inBar: !!a.closest(`ol.bar`), comp: (a.closest('.comp') as { id?: string } | null)?.id ?? null, day: a.getAttribute('data-day'), text: a.textContent, inPop: !!a.closest('#day-pop') } : null;
  });
  const axe = (page: Page) => seriousAxeViolations(page);

  for (const scheme of ['light', 'dark'] as const) {
    it(`opens a day from the keyboard: one Tab stop per bar, arrows, Enter, Escape (${scheme})`, async () => {
      const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: scheme, bypassCSP: false });
      try {
        await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
        await page.focus(`#c-${API} .name a`);
        await page.keyboard.press('Tab');
        assert.deepEqual({ ...(await active(page)), text: undefined, day: undefined }, { inBar: true, comp: `c-${API}`, day: undefined, text: undefined, inPop: false }, 'Tab from the name lands on the bar');
        await page.keyboard.press('Tab');
        const next = await active(page);
        assert.equal(next?.inBar, false, 'the second Tab leaves the bar: one Tab stop, not one per day');
        assert.equal(next?.comp, `c-${componentId('Web')}`);
        await page.keyboard.press('Shift+Tab');
        assert.equal((await active(page))?.inBar, true);
        for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
        assert.equal((await active(page))?.day, badDate, 'three days back from today');
        await page.keyboard.press('Enter');
        const pop = page.locator('#day-pop');
        await pop.getByText('Uptime').waitFor({ timeout: 10_000 });
        const text = (await pop.textContent()) ?? '';
        assert.match(text, new RegExp(`API, ${badDate} \\(UTC\\)`));
        assert.match(text, /Down\s*10 min/);
        assert.match(text, /Uptime\s*\d+\.\d\d%/);
        assert.match(text, /In maintenance\s*0 min/);
        const link = pop.getByRole('link', { name: 'API timeouts in one zone' });
        assert.equal(await link.getAttribute('href'), '/incidents/inc-7');
        assert.equal(await page.locator(`#c-${API} ol.bar button[aria-expanded=true]`).getAttribute('data-day'), badDate);
        // roving tabindex: exactly one day of the bar is tabbable
        assert.equal(await page.locator(`#c-${API} ol.bar button[tabindex="0"]`).count(), 1);
        assert.equal(await page.locator(`#c-${API} ol.bar button`).count(), 90);

        const found = await axe(page);
        assert.deepEqual(found, [], 'axe with the popover open');
        const report = await validator.validateString(await page.content());
        assert.deepEqual(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message}`)), [], 'html-validate with the popover open');

        // Tab goes into the popover; Escape closes it and returns to the day
        await page.keyboard.press('Tab');
        assert.equal((await active(page))?.inPop, true);
        await page.keyboard.press('Escape');
        assert.equal(await pop.count(), 0);
        assert.equal((await active(page))?.day, badDate);
        // arrows with the popover open follow the day
        await page.keyboard.press('Enter');
        await page.keyboard.press('ArrowRight');
        await pop.getByText(/No incidents this day/).waitFor({ timeout: 10_000 });
        assert.match((await pop.textContent()) ?? '', new RegExp(new Date(badDay + DAY).toISOString().slice(0, 10)));
      } finally {
        await page.close();
      }
    });
  }

  it('keeps the popover open, with fresh figures, across a live update', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      await page.locator('.live').waitFor({ state: 'visible', timeout: 10_000 });
      await page.focus(`#c-${API} .name a`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const pop = page.locator('#day-pop');
      await pop.getByText('Uptime').waitFor({ timeout: 10_000 });
      const todayDate = new Date(today).toISOString().slice(0, 10);
      assert.match((await pop.textContent()) ?? '', new RegExp(`${todayDate}[^]*Down\\s*0 min`));
      // API goes down now: the row is patched, the popover stays open and reads today afresh
      const results = [0, 1, 2].map((k) => result('API', Date.now() - k * 1000, 'down', 10_000, { failure: { class: 'timeout', message: 'x' } }));
      await seed(site.store, results);
      await bus.publish({ results, states: statesAfter(results) });
      await page.waitForFunction((id) => document.getElementById(id)?.getAttribute('data-status') === 'down', `c-${API}`, { timeout: 15_000 });
      await pop.getByText(/Down\s*3 min/).waitFor({ timeout: 10_000 });
      assert.equal(await pop.isVisible(), true);
      assert.equal((await active(page))?.day, todayDate, 'focus stays on the day');
    } finally {
      await page.close();
    }
  });

  it('opens a day with a tap on a phone', async () => {
    const context = await site.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    try {
      await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      // the phone shows the last 30 of the 90 columns: the bad day is column 86 of 90
      const box = (await page.evaluate((sel) => {
        const r = document.querySelector(sel)?.getBoundingClientRect();
        return r && { left: r.left, top: r.top, width: r.width, height: r.height };
      }, `#c-${API} ol.bar`)) as { left: number; top: number; width: number; height: number };
      await page.mouse.wheel(0, 0);
      await page.touchscreen.tap(box.left + ((86 + 0.5) / 90) * box.width, box.top + box.height / 2);
      const pop = page.locator('#day-pop');
      await pop.getByText('Uptime').waitFor({ timeout: 10_000 });
      assert.match((await pop.textContent()) ?? '', new RegExp(`${badDate}[^]*Down\\s*10 min[^]*API timeouts in one zone`));
      assert.equal(await pop.isVisible(), true);
      assert.deepEqual(await axe(page), [], 'axe on the phone with the popover open');
      // the keys stay within the 30 days a phone shows: Home and many ArrowLefts stop at the oldest shown
      await page.keyboard.press('Home');
      const oldest = new Date(today - 29 * DAY).toISOString().slice(0, 10);
      assert.equal((await active(page))?.day, oldest);
      await page.keyboard.press('ArrowLeft');
      assert.equal((await active(page))?.day, oldest);
      await page.keyboard.press('ArrowRight');
      assert.equal((await active(page))?.day, new Date(today - 28 * DAY).toISOString().slice(0, 10));
    } finally {
      await context.close();
    }
  });

  it('opens a day with a click on the check page', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${site.server.url}/checks/${API}`, { waitUntil: 'load' });
      const bar = page.locator('ol.bar');
      const box = (await bar.boundingBox())!;
      await page.mouse.click(box.x + ((86 + 0.5) / 90) * box.width, box.y + box.height / 2);
      const pop = page.locator('#day-pop');
      await pop.getByText('Uptime').waitFor({ timeout: 10_000 });
      assert.match((await pop.textContent()) ?? '', new RegExp(`API, ${badDate}[^]*Down\\s*10 min[^]*API timeouts in one zone`));
      assert.equal((await active(page))?.day, badDate, 'the clicked day takes the focus (and the Tab stop)');
      // a click elsewhere closes it
      await page.mouse.click(5, 5);
      assert.equal(await pop.count(), 0);
    } finally {
      await page.close();
    }
  });

  it('keeps the figures in the tooltip without scripts', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      const titles = await page.locator(`#c-${API} ol.bar li`).evaluateAll((els) => els.map((e) => (e as unknown as { title: string }).title));
      assert.ok(titles.some((t) => /: \d+\.\d\d%, 10 min down$/.test(t)), titles.join(' | '));
    } finally {
      await context.close();
    }
  });
});
