/**
 * The `browser` probe: drives headless Chromium through playwright-core — open a page, then
 * run a script of steps (goto, click, fill, expectText). When a step fails, a screenshot of the
 * page is kept in the result's `details.screenshot` (JPEG, at most MAX_SCREENSHOT_BYTES), which
 * only admins see: the public outputs never include details.
 *
 * Every run launches its own browser (no state shared between checks or runs) and closes it.
 * The actions get the check's timeout minus a small reserve, so a page that hangs still leaves
 * time to take the screenshot before the deadline. Where Chromium or playwright-core is missing
 * the check fails with a message that says what to install; both are loaded only when a
 * browser check runs.
 * @module
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { ms } from '../tcp/timed-connect.ts';
import { displayUrl } from '../http/display-url.ts';
import { redactFailure } from '../redact.ts';
import { browserConfigSchema, describeStep, MAX_SCREENSHOT_BYTES, type BrowserConfig, type BrowserStep } from './browser-config.ts';
import { browserFailure } from './browser-error.ts';

/** Flags that keep Chromium quiet and offline except for the pages a check opens. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The slices of playwright-core this probe uses. */
interface Page {
  goto(url: string, options: { timeout: number; waitUntil: 'load' }): Promise<{ status(): number } | null>;
  click(selector: string, options: { timeout: number }): Promise<void>;
  fill(selector: string, value: string, options: { timeout: number }): Promise<void>;
  waitForSelector(selector: string, options: { timeout: number; state: 'visible' }): Promise<unknown>;
  screenshot(options: { type: 'jpeg'; quality: number; timeout: number }): Promise<Buffer>;
  url(): string;
}
interface Browser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** A selector that finds visible text, inside `scope` when given. */
function textSelector(step: Extract<BrowserStep, { expectText: unknown }>): string {
  const expected = step.expectText;
  const text = typeof expected === 'string' ? expected : expected.text;
  const scope = typeof expected === 'string' ? undefined : expected.selector;
  const match = `text=${JSON.stringify(text)}`.replace(/^text="(.*)"$/, 'text=$1');
  return scope ? `${scope} >> ${match}` : match;
}

async function runStep(page: Page, step: BrowserStep, timeout: number): Promise<Failure | undefined> {
  if ('goto' in step) await page.goto(step.goto, { timeout, waitUntil: 'load' });
  else if ('click' in step) await page.click(step.click, { timeout });
  else if ('fill' in step) await page.fill(step.fill.selector, step.fill.value, { timeout });
  else await page.waitForSelector(textSelector(step), { timeout, state: 'visible' });
  return undefined;
}

/** The `browser` probe plug-in. */
export const browserProbe = defineProbe<BrowserConfig>({
  kind: 'browser',
  schema: browserConfigSchema,
  describe: (config) => displayUrl(config.url),
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const reserve = Math.min(1000, ctx.timeoutMs / 5); // kept back for the screenshot
    const remaining = () => Math.max(1, Math.floor(ctx.timeoutMs - reserve - (performance.now() - startedAt)));
    const secrets = config.steps.flatMap((step) => ('fill' in step ? [step.fill.value] : []));
    const steps: { step: string; ms: number; ok: boolean }[] = [];
    const details: Record<string, unknown> = { steps };
    let browser: Browser | undefined;
    let page: Page | undefined;
    const onAbort = () => void browser?.close().catch(() => {});
    const finish = async (failure?: Failure): Promise<ProbeOutcome> => {
      if (failure && page && config.screenshotOnFailure && !ctx.signal.aborted) await screenshot(page);
      const total = ms(performance.now() - startedAt);
      const safe = redactFailure(failure, secrets);
      return { ok: !safe, latencyMs: total, timings: { total, ...(steps[0] ? { firstByte: steps[0].ms } : {}) }, details, ...(safe ? { failure: safe } : {}) };
    };
    const screenshot = async (target: Page) => {
      for (const quality of [60, 30]) {
        try {
          const time = Math.max(1, Math.floor(ctx.timeoutMs - (performance.now() - startedAt)) - 100);
          const image = await target.screenshot({ type: 'jpeg', quality, timeout: time });
          if (image.length <= MAX_SCREENSHOT_BYTES) {
            details.screenshot = { type: 'image/jpeg', bytes: image.length, data: image.toString('base64') };
            return;
          }
        } catch {
          details.screenshot = { error: 'no time left to take a screenshot' };
          return;
        }
      }
      details.screenshot = { error: `the screenshot was larger than ${MAX_SCREENSHOT_BYTES} bytes` };
    };
    if (!existsSync(config.executablePath)) {
      return finish({ class: 'protocol', message: `browser checks need Chromium at ${config.executablePath}, which is not installed on this host (Debian: apt-get install chromium)` });
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      let chromium: { launch(options: object): Promise<Browser> };
      try {
        ({ chromium } = (await import('playwright-core')) as unknown as { chromium: typeof chromium });
      } catch {
        return finish({ class: 'protocol', message: 'browser checks need the playwright-core package, which is not installed' });
      }
      const launchedAt = performance.now();
      browser = await chromium.launch({ executablePath: config.executablePath, args: CHROMIUM_ARGS, timeout: remaining(), handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
      if (ctx.signal.aborted) onAbort();
      details.launchMs = ms(performance.now() - launchedAt);
      page = await browser.newPage({ viewport: config.viewport });
      const script: BrowserStep[] = [{ goto: config.url }, ...config.steps];
      for (const [index, step] of script.entries()) {
        const label = `step ${index + 1} (${describeStep(step)})`;
        const began = performance.now();
        try {
          if (index === 0) {
            const response = await page.goto(config.url, { timeout: remaining(), waitUntil: 'load' });
            const status = response?.status();
            if (status !== undefined) details.status = status;
            if (status !== undefined && status >= config.maxStatus) {
              steps.push({ step: describeStep(step), ms: ms(performance.now() - began), ok: false });
              return await finish({ class: 'status', message: `${label}: status ${status}, expected below ${config.maxStatus}` });
            }
          } else await runStep(page, step, remaining());
          steps.push({ step: describeStep(step), ms: ms(performance.now() - began), ok: true });
        } catch (err) {
          steps.push({ step: describeStep(step), ms: ms(performance.now() - began), ok: false });
          const failure = ctx.signal.aborted
            ? { class: 'timeout' as const, message: `${label}: timed out after ${ctx.timeoutMs} ms` }
            : browserFailure(err, label);
          if (failure.class === 'timeout' && !ctx.signal.aborted) failure.message = `${label}: not done before the check's timeout (${ctx.timeoutMs} ms)`;
          if ('expectText' in step && failure.class === 'timeout') {
            return await finish({ class: 'body', message: `${label}: the text did not appear before the check's timeout (${ctx.timeoutMs} ms)` });
          }
          return await finish(failure);
        }
      }
      details.finalUrl = displayUrl(page.url());
      return await finish();
    } catch (err) {
      if (ctx.signal.aborted) return finish({ class: 'timeout', message: `timed out after ${ctx.timeoutMs} ms starting Chromium` });
      return finish(browserFailure(err, 'starting Chromium'));
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      await browser?.close().catch(() => {});
    }
  },
});
