/**
 * The page function as CloudFront's origin (EnableCloudFront): requests without the header the
 * distribution adds are refused; with it, cacheable answers go out `public` with an ETag, and a
 * revalidation (If-None-Match, what CloudFront sends for a stale object) gets a 304.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createWebHandler, type WebHandler } from './web-handler.ts';
import { fixture, startLambdaHarness, withHeader, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import type { ProxyResult } from './lambda-types.ts';

const SECRET = 'origin-secret-0123456789';

describe('page function behind the stack\'s CloudFront distribution', () => {
  let harness: LambdaHarness;
  const handlers: WebHandler[] = [];
  const open = (sharedCache: boolean) => {
    const handler = createWebHandler({
      sharedCache,
      runtime: () => harness.runtime(),
    });
    handlers.push(handler);
    return handler;
  };
  const get = async (handler: WebHandler, path: string, headers: Record<string, string> = {}) => {
    let event = await fixture('rest-v1-root.json');
    event.path = path;
    for (const [name, value] of Object.entries(headers)) event = withHeader(event, name, value);
    return (await handler(event)) as ProxyResult;
  };

  before(async () => {
    harness = await startLambdaHarness();
    await harness.writeConfig('upstate.yaml', `auth:\n  header: X-Upstate-Auth\n  secrets: ["${SECRET}"]\npage:\n  cacheSeconds: 30\nchecks:\n  - name: Billing API\n    http:\n      url: http://127.0.0.1:9/health\n`);
  });
  after(async () => {
    for (const handler of handlers) await handler.close();
    await harness?.stop();
  });

  it('refuses a request that bypassed CloudFront (no header), and does not let it be cached', async () => {
    const refused = await get(open(true), '/');
    assert.equal(refused.statusCode, 401);
    assert.doesNotMatch(refused.headers['cache-control'] ?? 'no-store', /public/);
  });

  it('with the header, pages and APIs go out public with their max-age and ETag; a revalidation gets a 304', async () => {
    const handler = open(true);
    for (const path of ['/', '/api/v1/status', '/api/v2/summary.json']) {
      const page = await get(handler, path, { 'X-Upstate-Auth': SECRET });
      assert.equal(page.statusCode, 200, path);
      assert.equal(page.headers['cache-control'], 'public, max-age=30', path);
      assert.ok(page.headers.etag, `${path} has an ETag`);
      const again = await get(handler, path, { 'X-Upstate-Auth': SECRET, 'If-None-Match': page.headers.etag });
      assert.equal(again.statusCode, 304, `${path} revalidates`);
    }
  });

  it('without the distribution the same page stays private (no shared cache may keep it)', async () => {
    const page = await get(open(false), '/', { 'X-Upstate-Auth': SECRET });
    assert.equal(page.headers['cache-control'], 'private, max-age=30');
  });
});
