import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventShape, eventToRequest, stripStage, UnsupportedEventError } from './event-to-request.ts';
import { responseToResult } from './response-to-result.ts';
import { fixture } from '../../../test/support/lambda/lambda-harness.ts';

describe('eventToRequest', () => {
  it('REST 1.0: keeps every multi-value header and query value, stage stripped from requestContext.path fallback', async () => {
    const event = await fixture('rest-v1-proxy-path.json');
    event.multiValueHeaders['X-Multi'] = ['a', 'b'];
    event.headers['X-Multi'] = 'b';
    event.multiValueQueryStringParameters = { tag: ['x', 'y'] };
    event.queryStringParameters = { tag: 'y', only: 'single' };
    const { request, shape } = eventToRequest(event);
    assert.equal(shape, 'rest-v1');
    const url = new URL(request.url);
    assert.equal(url.pathname, '/api/v1/status');
    assert.deepEqual(url.searchParams.getAll('tag'), ['x', 'y']);
    assert.equal(url.searchParams.get('only'), 'single');
    assert.equal(request.headers.get('x-multi'), 'a, b');
    assert.equal(url.host, 'abc123defg.execute-api.eu-west-1.amazonaws.com');
    delete event.path;
    assert.equal(new URL(eventToRequest(event).request.url).pathname, '/api/v1/status', 'falls back to requestContext.path minus the stage');
  });

  it('REST 1.0: a stage named like a route is not stripped when path is already stage-less', async () => {
    const event = await fixture('rest-v1-proxy-path.json');
    event.requestContext.stage = 'api';
    event.requestContext.path = '/api/api/v1/status';
    assert.equal(new URL(eventToRequest(event).request.url).pathname, '/api/v1/status');
    event.path = '/api/api/v1/status'; // a proxy that kept the stage in path
    assert.equal(new URL(eventToRequest(event).request.url).pathname, '/api/v1/status');
  });

  it('REST 1.0: null maps and a missing isBase64Encoded are fine; base64 bodies are decoded', async () => {
    const event = await fixture('rest-v1-console-test.json');
    event.httpMethod = 'POST';
    event.body = Buffer.from('{"a":1}').toString('base64');
    event.isBase64Encoded = true;
    const { request } = eventToRequest(event);
    assert.equal(request.method, 'POST');
    assert.equal(await request.text(), '{"a":1}');
    delete event.isBase64Encoded;
    event.body = 'plain';
    assert.equal(await eventToRequest(event).request.text(), 'plain');
  });

  it('REST 1.0: drops Accept-Encoding so the app never gzips behind a REST API', async () => {
    const { request } = eventToRequest(await fixture('rest-v1-root.json'));
    assert.equal(request.headers.get('accept-encoding'), null);
    assert.match(request.headers.get('accept') ?? '', /text\/html/);
  });

  it('HTTP 2.0: cookies become a Cookie header, raw query kept, named stage stripped', async () => {
    const { request, shape } = eventToRequest(await fixture('http-v2-named-stage.json'));
    assert.equal(shape, 'http-v2');
    const url = new URL(request.url);
    assert.equal(url.pathname, '/api/v1/status');
    assert.deepEqual(url.searchParams.getAll('a'), ['1', '2']);
    assert.equal(request.headers.get('cookie'), 'theme=dark; seen=1');
  });

  it('non-proxy: path parameters fill the resource path, querystring and JSON bodies carried', async () => {
    const event = await fixture('non-proxy-proxy-param.json');
    const url = new URL(eventToRequest(event).request.url);
    assert.equal(url.pathname, '/api/v1/status');
    assert.equal(url.searchParams.get('limit'), '5');
    const post = { method: 'POST', body: { note: 'hi' }, headers: null, resourcePath: '/api/v1/push/{token}', path: { token: 'abc' } };
    const { request } = eventToRequest(post);
    assert.equal(new URL(request.url).pathname, '/api/v1/push/abc');
    assert.equal(request.headers.get('content-type'), 'application/json');
    assert.deepEqual(await request.json(), { note: 'hi' });
    assert.equal(new URL(eventToRequest({ method: 'GET', requestPath: '/{proxy+}', path: {} }).request.url).pathname, '/', 'unfilled → /');
  });

  it('a garbage Host header does not break the request', () => {
    const { request } = eventToRequest({ method: 'GET', headers: { Host: 'bad host/with spaces' } });
    assert.equal(new URL(request.url).pathname, '/');
  });

  it('stripStage only removes a whole leading segment', () => {
    assert.equal(stripStage('/Prod', 'Prod'), '/');
    assert.equal(stripStage('/Prod/x', 'Prod'), '/x');
    assert.equal(stripStage('/Production', 'Prod'), '/Production');
    assert.equal(stripStage('/x', '$default'), '/x');
    assert.equal(stripStage('x', undefined), '/x');
  });

  it('recognises shapes and refuses the rest', async () => {
    assert.equal(eventShape(await fixture('non-proxy-minimal.json')), 'non-proxy');
    assert.throws(() => eventShape(null), UnsupportedEventError);
    assert.throws(() => eventShape({ version: '2.0' }), UnsupportedEventError);
  });
});

describe('responseToResult', () => {
  const withCookies = () => {
    const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/');
    return new Response('hi', { status: 201, headers });
  };

  it('REST 1.0 puts every Set-Cookie in multiValueHeaders; 2.0 in cookies', async () => {
    const v1 = await responseToResult(withCookies(), 'rest-v1');
    assert.ok(typeof v1 === 'object' && 'statusCode' in v1);
    assert.deepEqual(v1.multiValueHeaders, { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] });
    assert.equal(v1.headers['set-cookie'], undefined);
    assert.equal(v1.statusCode, 201);
    assert.equal(v1.body, 'hi');
    const v2 = await responseToResult(withCookies(), 'http-v2');
    assert.ok(typeof v2 === 'object' && 'statusCode' in v2);
    assert.deepEqual(v2.cookies, ['a=1; Path=/', 'b=2; Path=/']);
    assert.equal(v2.multiValueHeaders, undefined);
  });

  it('images are base64 with isBase64Encoded; SVG and JSON stay text', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const image = await responseToResult(new Response(png, { headers: { 'content-type': 'image/png' } }), 'rest-v1');
    assert.ok(typeof image === 'object');
    assert.equal(image.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(image.body, 'base64'), png);
    for (const type of ['image/svg+xml', 'application/json; charset=utf-8', 'application/atom+xml']) {
      const text = await responseToResult(new Response('<x/>', { headers: { 'content-type': type } }), 'http-v2');
      assert.ok(typeof text === 'object');
      assert.equal(text.isBase64Encoded, false, type);
      assert.equal(text.body, '<x/>');
    }
  });

  it('non-proxy gets the body string itself', async () => {
    assert.equal(await responseToResult(new Response('<!doctype html><p>x', { status: 401, headers: { 'content-type': 'text/html' } }), 'non-proxy'), '<!doctype html><p>x');
  });
});
