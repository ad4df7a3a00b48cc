import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { acceptsGzip, sendCached } from './conditional-get.ts';
import { createResponseCache } from './response-cache.ts';

describe('sendCached', () => {
  const body = `<p>${'status '.repeat(500)}</p>`;
  const cache = createResponseCache({ ttlMs: 60_000 });
  const app = new Hono();
  app.get('/', async (c) => {
    const entry = await cache.get('page', async () => ({ body, contentType: 'text/html; charset=utf-8', status: 200, lastModified: 0 }));
    return sendCached(c, entry, { maxAgeSeconds: 30, private: false });
  });

  it('serves a precompressed body to gzip clients and the same bytes to others', async () => {
    const gz = await app.request('/', { headers: { 'Accept-Encoding': 'gzip, br' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.match(gz.headers.get('etag') ?? '', /^W\/"/);
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), body);
    const plain = await app.request('/');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), body);
    // the compressed form is computed once per cached entry
    const entry = await cache.get('page', async () => assert.fail('should be cached'));
    assert.equal(entry.gzipped(), entry.gzipped());
    // a client holding the compressed variant revalidates with its weak tag
    const again = await app.request('/', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  it('reads Accept-Encoding with q-values and wildcards', () => {
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip(undefined), false);
  });
});
