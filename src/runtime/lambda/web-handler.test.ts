import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createWebHandler, type WebHandler } from './web-handler.ts';
import { fixture, startLambdaHarness, withHeader, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import { UnsupportedEventError } from './event-to-request.ts';
import type { ProxyResult } from './lambda-types.ts';
import type { CheckResult } from '../../domain/result.ts';

const SECRET = 'proxy-secret-0123456789';
const CONFIG = `
page:
  title: Lambda status
auth:
  header: X-Upstate-Auth
  secrets: ["\${UPSTATE_AUTH_SECRET}"]
checks:
  - name: Billing API
    http:
      url: http://127.0.0.1:9/health
`;

/** Each fixture, the header casing it is sent with, and what it asks for. */
const PAGE_EVENTS = [
  ['rest-v1-root.json', 'X-Upstate-Auth'],
  ['rest-v1-console-test.json', 'x-upstate-auth'],
  ['http-v2-function-url.json', 'x-upstate-auth'],
  ['non-proxy-get.json', 'X-UPSTATE-AUTH'],
  ['non-proxy-minimal.json', 'X-Upstate-Auth'],
] as const;
const JSON_EVENTS = [
  ['rest-v1-proxy-path.json', 'X-Upstate-Auth'],
  ['http-v2-named-stage.json', 'x-upstate-auth'],
  ['non-proxy-proxy-param.json', 'x-Upstate-auth'],
] as const;

const asProxy = (result: ProxyResult | string): ProxyResult => {
  assert.equal(typeof result, 'object', 'a proxy event gets a proxy result');
  return result as ProxyResult;
};
const bodyText = (result: ProxyResult) => (result.isBase64Encoded ? gunzipSync(Buffer.from(result.body, 'base64')).toString('utf8') : result.body);

describe('web handler (every API Gateway event shape, real DynamoDB store)', () => {
  let harness: LambdaHarness;
  // these fixtures ask for no envelope: the answer is a proxy result or, for non-proxy, the body
  let handler: ((event: unknown) => Promise<ProxyResult | string>) & Pick<WebHandler, 'close'>;

  before(async () => {
    harness = await startLambdaHarness();
    const configFile = await harness.writeConfig('upstate.yaml', CONFIG);
    const now = Date.now();
    const result: CheckResult = { check: 'Billing API', at: now - 1000, status: 'up', latencyMs: 42, statusCode: 200 };
    await harness.store().recordResults({ results: [result], states: [{ check: 'Billing API', status: 'up', since: now - 60_000, lastResult: result, streak: 0 }] });
    handler = createWebHandler({
      // the config file is named relative to the bundle folder, as in a deployment
      runtime: () => harness.runtime({ UPSTATE_CONFIG_FILE: 'upstate.yaml', UPSTATE_AUTH_SECRET: SECRET }),
    }) as typeof handler;
    assert.ok(configFile.startsWith(harness.dir));
  });
  after(async () => {
    await handler?.close();
    await harness?.stop();
  });

  for (const [name, header] of PAGE_EVENTS) {
    it(`${name}: serves the status page with the auth header (${header})`, async () => {
      const result = await handler(withHeader(await fixture(name), header, SECRET));
      if (name.startsWith('non-proxy')) {
        // the non-proxy integration gets the HTML itself; its mapping template serves it as text/html
        assert.equal(typeof result, 'string');
        assert.match(result as string, /^<!doctype html>/i);
        assert.match(result as string, /Billing API/);
        return;
      }
      const proxy = asProxy(result);
      assert.equal(proxy.statusCode, 200);
      assert.match(proxy.headers['content-type'], /^text\/html; charset=utf-8$/i);
      assert.match(bodyText(proxy), /Billing API/);
      assert.match(bodyText(proxy), /Lambda status/);
    });

    it(`${name}: without the header renders the error page and no status data`, async () => {
      const result = await handler(await fixture(name));
      const text = typeof result === 'string' ? result : bodyText(result);
      if (typeof result !== 'string') {
        assert.equal(result.statusCode, 401);
        assert.match(result.headers['content-type'], /^text\/html; charset=utf-8$/i);
      }
      assert.match(text, /Access denied/);
      assert.doesNotMatch(text, /Billing API/);
    });

    it(`${name}: a wrong secret is refused too`, async () => {
      const result = await handler(withHeader(await fixture(name), header, 'not-the-secret'));
      const text = typeof result === 'string' ? result : bodyText(result);
      if (typeof result !== 'string') assert.equal(result.statusCode, 401);
      assert.doesNotMatch(text, /Billing API/);
    });
  }

  for (const [name, header] of JSON_EVENTS) {
    it(`${name}: routes the (stage-stripped) path to the JSON API`, async () => {
      const result = await handler(withHeader(await fixture(name), header, SECRET));
      const text = typeof result === 'string' ? result : bodyText(result);
      if (typeof result !== 'string') {
        assert.equal(result.statusCode, 200);
        assert.match(result.headers['content-type'], /^application\/json/);
      }
      const model = JSON.parse(text) as { components: { name: string; status: string }[] };
      assert.deepEqual(
        model.components.map((c) => [c.name, c.status]),
        [['Billing API', 'up']],
      );
    });

    it(`${name}: without the header gets a 401 JSON error`, async () => {
      const result = await handler(await fixture(name));
      const text = typeof result === 'string' ? result : bodyText(result);
      if (typeof result !== 'string') assert.equal(result.statusCode, 401);
      assert.equal(JSON.parse(text).error.status, 401);
      assert.doesNotMatch(text, /Billing API/);
    });
  }

  it('REST API: HEAD on the stage-prefixed path answers 200 with an empty body', async () => {
    const result = asProxy(await handler(withHeader(await fixture('rest-v1-stage-in-path.json'), 'X-Upstate-Auth', SECRET)));
    assert.equal(result.statusCode, 200);
    assert.equal(result.body, '');
    assert.match(result.headers['content-type'], /^text\/html/i);
  });

  it('REST API: never compresses (the gateway does), so the page stays plain text', async () => {
    const result = asProxy(await handler(withHeader(await fixture('rest-v1-root.json'), 'X-Upstate-Auth', SECRET)));
    assert.equal(result.headers['content-encoding'], undefined);
    assert.equal(result.isBase64Encoded, false);
  });

  it('function URL: a gzip response goes back base64-encoded with isBase64Encoded', async () => {
    const result = asProxy(await handler(withHeader(await fixture('http-v2-function-url.json'), 'x-upstate-auth', SECRET)));
    assert.equal(result.headers['content-encoding'], 'gzip');
    assert.equal(result.isBase64Encoded, true);
    assert.match(gunzipSync(Buffer.from(result.body, 'base64')).toString('utf8'), /Billing API/);
  });

  it('health check is open without the header in every shape', async () => {
    const event = await fixture('rest-v1-console-test.json');
    event.path = '/healthz';
    const result = asProxy(await handler(event));
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), { status: 'ok' });
  });

  it("keys push rate limits by API Gateway's sourceIp, not by a client's X-Forwarded-For", async () => {
    const push = async (sourceIp: string, forwarded: string) => {
      const event = withHeader(await fixture('rest-v1-proxy-path.json'), 'X-Forwarded-For', forwarded);
      event.path = '/api/v1/push/not-a-token-000000000000000000';
      event.requestContext.path = `/Prod${event.path}`;
      event.requestContext.identity.sourceIp = sourceIp;
      return asProxy(await handler(event)).statusCode;
    };
    const statuses: number[] = [];
    // burst 60, refill 2/s on the real clock: 150 requests leave at least 30 refused unless they took 30 s
    for (let i = 0; i < 150; i++) statuses.push(await push('192.0.2.77', `198.18.0.${i}`));
    assert.ok(statuses.filter((s) => s === 429).length >= 30, `${statuses.filter((s) => s === 429).length} of 150 refused`);
    assert.equal(statuses.at(-1), 429);
    assert.equal(await push('192.0.2.78', '198.18.0.1'), 404, 'another source address has its own bucket');
  });

  it('refuses an event that is not an HTTP request', async () => {
    await assert.rejects(handler(await fixture('scheduled-event.json')), UnsupportedEventError);
  });
});
