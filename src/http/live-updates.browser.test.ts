import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { BROWSER_SUITE } from '../../test/support/browser.ts';
import { useBrowserSite } from '../../test/support/browser-site.ts';
import { watchLoopLag } from '../../test/support/loop-lag.ts';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { systemClock } from '../kernel/clock.ts';
import { componentId } from '../status/component-id.ts';
import { probes } from '../probes/registry.ts';
import { createEmbeddedMode } from '../modes/embedded-mode.ts';
import type { Engine } from '../engine/engine.ts';
import type { CheckResult } from '../domain/result.ts';
import { result, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const INTERVAL_MS = 3000;
const names = Array.from({ length: 100 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
const CHECKS = names.map((name, i) => testCheck(name, { group: `Group ${Math.floor(i / 10)}` }));

/** The page's DOM, as seen by functions that run in the browser (this project compiles without lib.dom). */
declare const document: {
  activeElement: { textContent: string | null; isConnected: boolean } | null;
  getElementById(id: string): { getAttribute(name: string): string | null } | null;
};

/**
 * One open tab of a 100-check page (plus one check run for real by the embedded engine) against
 * live updates: keyboard focus survives them, a check that goes down shows within one interval
 * plus 2 s, and the bytes one tab costs per minute of results are measured.
 */
describe('live updates in a real browser', BROWSER_SUITE, () => {
  let target: Server;
  let failing = false;
  let engine: Engine | undefined;
  const bus = createResultBus();
  const site = useBrowserSite(async (store, { onClose }) => {
    const now = Date.now();
    const history: CheckResult[] = [];
    for (const name of names) for (let h = 72; h > 0; h -= 6) history.push(result(name, now - h * HOUR, 'up', 80, { statusCode: 200 }));
    await seed(store, history);
    target = createServer((_req, res) => void res.writeHead(failing ? 503 : 200).end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    onClose(() => new Promise<void>((resolve) => target.close(() => resolve())));
    const probe = probes.http.schema.parse({ url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/health` });
    const live = testCheck('Target', { kind: 'http', probe, target: 'local', intervalMs: INTERVAL_MS, timeoutMs: 1000 });
    const config = testConfig([live, ...CHECKS]);
    engine = createEmbeddedMode({ config: { checks: [live], scheduler: { concurrency: 2 } }, store, bus, probes, clock: systemClock, logger: { error: () => {} } });
    await engine.start();
    // stopped first (registered last), before the target it probes
    onClose(() => engine?.stop());
    return startServer(createApp({ config, store, bus }));
  });

  /** Publishes results for `checks` as the engine would (stored first, then on the bus). */
  async function publish(checks: string[], status: CheckResult['status']) {
    const results = checks.map((name) => result(name, Date.now(), status, status === 'down' ? 1000 : 75, status === 'down' ? { failure: { class: 'timeout', message: 'x' } } : { statusCode: 200 }));
    await seed(site.store, results);
    await bus.publish({ results, states: statesAfter(results) });
  }
  const statusOf = (page: Page, name: string) => page.locator(`#c-${componentId(name)}`).getAttribute('data-status');
  const waitStatus = (page: Page, name: string, status: string) =>
    page.waitForFunction(([id, s]) => document.getElementById(id)?.getAttribute('data-status') === s, [`c-${componentId(name)}`, status] as const, { timeout: 15_000 });

  it('keeps keyboard focus across live updates', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      await page.locator('.live').waitFor({ state: 'visible', timeout: 10_000 });
      // a large page starts with healthy groups collapsed: the visitor opens the first one
      await page.locator(`#g-${componentId('group:Group 0')}`).click();
      await page.locator(`#c-${componentId('svc-04')} .name a`).focus();
      // svc-04's 90-day bar is one Tab stop of its own (its day cells), then the next check
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'svc-05');
      // five batches, one of them about the focused check itself
      for (const [i, batch] of [['svc-01', 'svc-02'], ['svc-05'], ['svc-30', 'svc-31', 'svc-32'], ['svc-07'], ['svc-90']].entries()) {
        await publish(batch, i % 2 ? 'up' : 'down');
        await waitStatus(page, batch[0], i % 2 ? 'up' : 'down');
        // the page may still be applying: give a replaced body time to show itself
        await page.waitForTimeout(1200);
      }
      assert.equal(await statusOf(page, 'svc-90'), 'down');
      const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent, connected: document.activeElement?.isConnected }));
      assert.deepEqual(focused, { text: 'svc-05', connected: true });
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'svc-06', 'Tab moves on from where the user was (past svc-05\'s bar)');
    } finally {
      await page.close();
    }
  });

  it('shows a check that goes down within one interval plus 2 s', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      await page.locator('.live').waitFor({ state: 'visible', timeout: 10_000 });
      await waitStatus(page, 'Target', 'up');
      const lag = watchLoopLag();
      failing = true;
      const switched = Date.now();
      await waitStatus(page, 'Target', 'down');
      const shownAfter = Date.now() - switched;
      const margin = 2 * (await lag.stop());
      console.log(`Target shown down ${shownAfter} ms after it started failing (interval ${INTERVAL_MS} ms, loop-lag margin ${Math.round(margin)} ms)`);
      assert.ok(shownAfter <= INTERVAL_MS + 2000 + margin, `${shownAfter} ms > interval + 2 s + ${Math.round(margin)} ms`);
    } finally {
      failing = false;
      await page.close();
    }
  });

  it('measures the bytes one open tab costs per minute of results at 100 checks', async () => {
    // only the 100 checks' results from here on: the 3-second check would add its own traffic
    await engine?.stop();
    engine = undefined;
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${site.server.url}/`, { waitUntil: 'load' });
      await page.locator('.live').waitFor({ state: 'visible', timeout: 10_000 });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      let bytes = 0;
      cdp.on('Network.dataReceived', (e: { encodedDataLength: number }) => {
        bytes += e.encodedDataLength;
      });
      let sse = 0;
      cdp.on('Network.eventSourceMessageReceived', (e: { data: string; eventName: string }) => {
        sse += Buffer.byteLength(e.data) + e.eventName.length + 16;
      });
      // 100 checks every minute arrive as ~35 batches of ~3 (one every ~1.7 s); 10 of them here
      const BATCHES = 10;
      for (let b = 0; b < BATCHES; b++) {
        const batch = [0, 1, 2].map((k) => names[(b * 3 + k) % 100]);
        await publish(batch, 'up');
        await page.waitForTimeout(1700);
      }
      await page.waitForTimeout(1500);
      // Chromium reports fetched bodies as dataReceived and the open stream's messages apart
      const perMinute = ((bytes + sse) / BATCHES) * 35;
      console.log(`one open tab: ${bytes} bytes fetched + ${sse} bytes of events for ${BATCHES} batches → ${(perMinute / 1024).toFixed(1)} KB per minute at 100 checks`);
      assert.ok(sse > 0, 'the tab received the updates');
      // refetching the page after every batch cost ~240 KB a minute here (~385 KB on a realistic page)
      assert.ok(perMinute < 64 * 1024, `${(perMinute / 1024).toFixed(1)} KB per minute`);
    } finally {
      await page.close();
    }
  });
});
