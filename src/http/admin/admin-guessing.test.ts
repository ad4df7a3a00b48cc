/**
 * Admin bearer-token guessing over real sockets: how many wrong guesses one client address gets
 * evaluated, and that the throttle never locks out another address or a right token elsewhere.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createApp } from '../create-app.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, startServer, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const ADMIN = 'admin-token-0123456789abcdef';

function send(url: string, token: string, from?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, localAddress: from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('admin bearer token guessing (real sockets)', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let server: { url: string; close(): Promise<void> };

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    const config = testConfig([testCheck('API')], { admin: { tokens: [{ name: 'ops', token: ADMIN }] } });
    // a fixed clock: the throttle never refills during the test, so the counts are exact
    server = await startServer(createApp({ config, store, now: () => NOW }));
  });
  after(async () => {
    await server.close();
    await cleanup();
  });

  it('evaluates at most a burst of wrong tokens per client address, then answers 429 with Retry-After', async () => {
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push(await send(`${server.url}/api/v1/alerts`, `guess-${i}-0000000000000000`));
    const seconds = (performance.now() - started) / 1000;
    const evaluated = statuses.filter((s) => s === 401).length;
    console.log(`admin bearer: ${evaluated} of 200 guesses evaluated (${(evaluated / seconds).toFixed(0)}/s), ${statuses.filter((s) => s === 429).length} refused`);
    assert.equal(evaluated, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 190);
  });

  it('does not lock out another address, and a right token never counts as a guess', async () => {
    for (let i = 0; i < 30; i++) assert.equal(await send(`${server.url}/api/v1/alerts`, ADMIN, '127.0.0.2'), 200);
    assert.equal(await send(`${server.url}/api/v1/alerts`, 'wrong-token-00000000000000', '127.0.0.2'), 401, '127.0.0.2 still has its own burst');
  });

  it('shares the budget with the sign-in form (one secret, one budget)', async () => {
    const form = await fetch(`${server.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: 'wrong-token-00000000000000' }) });
    assert.equal(form.status, 429, '127.0.0.1 spent its guesses on bearer tokens');
  });
});
