/**
 * Headless Chromium for browser tests (playwright-core driving the distribution's chromium, so
 * nothing is downloaded). Flags keep it offline and quiet: no QUIC, sync, component updates or
 * background networking, so a test only ever talks to its own 127.0.0.1 server.
 * @module
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when a browser test can run here (Chromium installed: `apt-get install -y chromium`). */
export function browserAvailable(executablePath = CHROMIUM_PATH): boolean {
  return existsSync(executablePath);
}

/** The `describe` options of a suite that needs Chromium: skipped, saying how to install it, where it is missing. */
export const BROWSER_SUITE = { skip: browserAvailable() ? false : 'chromium is not installed (apt-get install -y chromium)' } as const;

/** Launches headless Chromium; the caller closes it. */
export async function launchBrowser(options: { executablePath?: string } = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; install it with: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
}
