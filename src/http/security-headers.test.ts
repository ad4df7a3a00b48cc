import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import type { EmbeddedStore as Store } from '../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('security headers', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [result('API', NOW - 60_000, 'up', 20)]);
  });
  after(async () => cleanup());
  const app = () => createApp({ config: testConfig([testCheck('API')]), store, now: () => NOW });

  it('sends CSP without inline script, no framing, nosniff and a referrer policy on pages', async () => {
    for (const path of ['/', `/checks/${componentId('API')}`, '/incidents', '/admin/login', '/no-such-page']) {
      const res = await app().request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
      assert.equal(scriptSrc, "script-src 'self'", path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path);
      // every <script> has a src, so the policy does not need 'unsafe-inline'
      const html = await res.text();
      assert.deepEqual(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [], [], path);
    }
  });

  it('serves the page script the pages reference, cacheable with an ETag', async () => {
    const html = await (await app().request('/')).text();
    assert.match(html, /<script src="\/assets\/live\.js" data-live="0" defer><\/script>/);
    const res = await app().request('/assets/live.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await res.text(), /EventSource/);
    const again = await app().request('/assets/live.js', { headers: { 'if-none-match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.equal((await app().request('/assets/../config.yaml')).status, 404);
    assert.equal((await app().request('/assets/layout.njk')).status, 404);
  });

  it('lets other sites embed badges and the Statuspage API (no same-origin resource policy)', async () => {
    for (const path of [`/badge/${componentId('API')}/status.svg`, '/api/v2/summary.json']) {
      const res = await app().request(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('cross-origin-resource-policy'), null, path);
    }
  });
});
