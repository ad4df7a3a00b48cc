/**
 * The world of a browser suite: a test store (an SQLite file), the site the suite serves over it,
 * and headless Chromium. `useBrowserSite` registers the hooks that start them before the suite's
 * tests and stop them after, so each suite says only what it seeds and serves.
 * @module
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import type { EmbeddedStore } from '../../src/storage/store.ts';
import { launchBrowser } from './browser.ts';
import { openTestStore } from './http-fixture.ts';

/** A started server (what `startServer` returns). */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** What a browser suite's tests use; filled in before its first test. */
export interface BrowserSite {
  readonly browser: Browser;
  readonly store: EmbeddedStore;
  /** The server `serve` returned (an error when it returned none). */
  readonly server: Served;
  /** Stops `close` after the suite: later registrations first, all before the store closes. */
  onClose(close: () => unknown): void;
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the browser site has no ${what} (used before its before() hook, or not served)`);
  return value;
}

/**
 * Opens a test store, runs `serve` (seed it, start the site, usually `startServer(createApp(…))`)
 * and launches Chromium before the suite; closes the browser, the server, what was registered
 * with `onClose` and the store after it.
 */
export function useBrowserSite(serve: (store: EmbeddedStore, site: BrowserSite) => Promise<Served | undefined | void>): BrowserSite {
  let opened: Awaited<ReturnType<typeof openTestStore>> | undefined;
  let server: Served | undefined;
  let browser: Browser | undefined;
  const closers: (() => unknown)[] = [];
  const site: BrowserSite = {
    get browser() {
      return ready(browser, 'browser');
    },
    get store() {
      return ready(opened?.store, 'store');
    },
    get server() {
      return ready(server, 'server');
    },
    onClose(close) {
      closers.push(close);
    },
  };
  before(async () => {
    opened = await openTestStore();
    server = (await serve(opened.store, site)) ?? undefined;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    for (const close of closers.reverse()) await close();
    await opened?.cleanup();
  });
  return site;
}
