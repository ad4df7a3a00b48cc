import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { httpProbe } from './http-probe.ts';
import { hostileHttpHandler } from '../../../test/support/hostile/hostile-http-handler.ts';
import { listenTracked, type Listening } from '../../../test/support/hostile/listen.ts';
import { startHostileServers, type HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';

// Every case here has a definite answer: a timeout far beyond any scheduling delay keeps a busy
// machine from turning one into a timeout.
const run = (config: Record<string, unknown>, timeoutMs = 15_000) => httpProbe.run(httpProbe.schema.parse(config), testProbeContext(timeoutMs));

function schemaError(config: Record<string, unknown>): string {
  const parsed = httpProbe.schema.safeParse(config);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(config)} to be rejected`);
  return parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

describe('http probe config', () => {
  it('applies the documented defaults', () => {
    const config = httpProbe.schema.parse({ url: 'https://example.test/health' });
    assert.equal(config.method, 'GET');
    assert.deepEqual(config.expectStatus, [[200, 399]]);
    assert.equal(config.followRedirects, true);
    assert.equal(config.maxRedirects, 5);
    assert.deepEqual(config.tls, { verify: true });
    assert.equal(config.maxBodyBytes, 1024 * 1024);
  });

  it('parses status codes, ranges and classes', () => {
    assert.deepEqual(httpProbe.schema.parse({ url: 'http://x.test/', expectStatus: 204 }).expectStatus, [[204, 204]]);
    assert.deepEqual(httpProbe.schema.parse({ url: 'http://x.test/', expectStatus: ['2xx', '300-304', 418] }).expectStatus, [[200, 299], [300, 304], [418, 418]]);
    assert.match(schemaError({ url: 'http://x.test/', expectStatus: '299-200' }), /expectStatus: must be a status code/);
  });

  it('rejects bad input with clear messages', () => {
    assert.match(schemaError({ url: 'example.test/health' }), /url: must be an absolute http\(s\) URL/);
    assert.match(schemaError({ url: 'ftp://example.test/' }), /url: must be an absolute http\(s\) URL/);
    assert.match(schemaError({ url: 'http://x.test/', colour: 'red' }), /colour|Unrecognized key/);
    assert.match(schemaError({ url: 'http://x.test/', method: 'BREW' }), /method: must be one of GET/);
    assert.match(schemaError({ url: 'http://x.test/', bodyMatches: '(' }), /bodyMatches: must be a valid regular expression/);
    assert.match(schemaError({ url: 'http://x.test/', json: { status: 'ok' } }), /must be a JSON path like \$\.status/);
    assert.match(schemaError({ url: 'http://x.test/', auth: { digest: {} } }), /auth: must be \{ basic/);
    assert.match(schemaError({ url: 'http://x.test/', tls: { ca: '/no/such/ca.pem' } }), /tls\.ca: must be PEM text or the path/);
    assert.match(schemaError({ url: 'http://x.test/', ipFamily: 5 }), /ipFamily/);
  });

  it('describes the URL without credentials', () => {
    const config = httpProbe.schema.parse({ url: 'https://alice:s3cret@example.test:8443/health?x=1' });
    assert.equal(httpProbe.describe(config), 'https://example.test:8443/health?x=1');
  });
});

describe('http probe', () => {
  let servers: HostileServers;
  let counting: Listening;
  let connections = 0;
  before(async () => {
    servers = await startHostileServers();
    const server = createServer(hostileHttpHandler);
    server.on('connection', () => connections++);
    counting = await listenTracked(server);
  });
  after(async () => {
    await servers.close();
    await counting.close();
  });

  it('opens a new, measured connection for every check', async () => {
    const before = connections;
    const first = await run({ url: `http://127.0.0.1:${counting.port}/ok` });
    const second = await run({ url: `http://127.0.0.1:${counting.port}/ok` });
    assert.equal(connections - before, 2);
    for (const outcome of [first, second]) {
      assert.equal(outcome.ok, true);
      assert.equal(outcome.timings?.dns, undefined, 'no lookup for an IP literal');
      assert.ok(outcome.timings!.connect! >= 0 && outcome.timings!.firstByte! >= 0);
      assert.ok(outcome.timings!.total >= outcome.timings!.connect! + outcome.timings!.firstByte!);
    }
  });

  it('times the DNS lookup of a name, honouring ipFamily', async () => {
    const outcome = await run({ url: `http://localhost:${counting.port}/ok`, ipFamily: 4 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.ok(outcome.timings!.dns! >= 0);
  });

  it('returns status, lower-cased headers and the body', async () => {
    const outcome = await run({ url: `${servers.http}/json`, headersMatch: { 'Content-Type': 'application/json', 'X-Upstate-Fixture': { regex: '^host' } } });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.statusCode, 200);
    assert.equal(outcome.headers?.['x-upstate-fixture'], 'hostile');
    assert.equal(JSON.parse(outcome.body!).status, 'ok');
  });

  it('checks body text, regex, JSON paths and headers', async () => {
    const url = `${servers.http}/json`;
    assert.equal((await run({ url, bodyContains: '"version":3', bodyMatches: '"id":\\s*2', json: { '$.items[1].id': 2, '$.items.length': 2 } })).ok, true);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ bodyContains: 'degraded' }, /body does not contain "degraded"/],
      [{ bodyMatches: '^<html' }, /body does not match \/\^<html\//],
      [{ json: { '$.status': 'down' } }, /\$\.status is "ok", expected "down"/],
      [{ json: { '$.missing.deep': 1 } }, /\$\.missing\.deep is missing from the JSON body/],
      [{ headersMatch: { 'x-request-id': 'abc' } }, /header x-request-id is missing/],
      [{ headersMatch: { 'content-type': 'text/html' } }, /header content-type is "application\/json", expected "text\/html"/],
    ];
    for (const [extra, message] of cases) {
      const outcome = await run({ url, ...extra });
      assert.equal(outcome.failure?.class, 'body', JSON.stringify(extra));
      assert.match(outcome.failure!.message, message);
    }
    const notJson = await run({ url: `${servers.http}/ok`, json: { '$.status': 'ok' } });
    assert.match(notJson.failure!.message, /body is not valid JSON \(got "OK upstate fixture"\)/);
  });

  it('accepts the statuses it is told to', async () => {
    assert.equal((await run({ url: `${servers.http}/status/500`, expectStatus: '5xx' })).ok, true);
    const outcome = await run({ url: `${servers.http}/status/204`, expectStatus: [200, '300-399'] });
    assert.equal(outcome.failure?.class, 'status');
    assert.equal(outcome.failure?.message, 'status 204, expected 200, 300-399');
  });

  it('sends method, body and auth (basic, bearer, or from the URL)', async () => {
    const echo = async (config: Record<string, unknown>) => JSON.parse((await run({ url: `${servers.http}/echo`, ...config })).body!);
    const posted = await echo({ method: 'post', body: { hello: 'world' }, headers: { 'x-trace': '1' } });
    assert.equal(posted.method, 'POST');
    assert.equal(posted.body, '{"hello":"world"}');
    assert.equal(posted.headers['content-type'], 'application/json');
    assert.equal(posted.headers['x-trace'], '1');
    assert.match(posted.headers['user-agent'], /^Upstate\//);
    const basic = await echo({ auth: { basic: { username: 'alice', password: 'pw' } } });
    assert.equal(basic.headers.authorization, `Basic ${Buffer.from('alice:pw').toString('base64')}`);
    assert.equal((await echo({ auth: { bearer: 't0k3n' } })).headers.authorization, 'Bearer t0k3n');
    const fromUrl = JSON.parse((await run({ url: servers.http.replace('http://', 'http://bob:p%40ss@') + '/echo' })).body!);
    assert.equal(fromUrl.headers.authorization, `Basic ${Buffer.from('bob:p@ss').toString('base64')}`);
  });

  it('follows redirects, or reports them when told not to', async () => {
    const followed = await run({ url: `${servers.http}/redirect-once` });
    assert.equal(followed.ok, true);
    assert.equal(followed.statusCode, 200);
    assert.equal(followed.details?.redirects, 1);
    assert.equal(followed.details?.finalUrl, `${servers.http}/ok`);
    const notFollowed = await run({ url: `${servers.http}/redirect-once`, followRedirects: false });
    assert.equal(notFollowed.ok, true, 'a 301 is within the default 200-399');
    assert.equal(notFollowed.statusCode, 301);
    const strict = await run({ url: `${servers.http}/redirect-once`, followRedirects: false, expectStatus: '2xx' });
    assert.equal(strict.failure?.class, 'status');
    const capped = await run({ url: `${servers.http}/redirect-chain/1`, maxRedirects: 2 });
    assert.match(capped.failure!.message, /too many redirects \(more than 2; last to \/redirect-chain\/4\)/);
  });

  it('caps the body it reads', async () => {
    const outcome = await run({ url: `${servers.http}/big`, maxBodyBytes: 1000, bodyContains: 'xxx' });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.details?.bodyTruncated, true);
    assert.ok((outcome.details?.bodyBytes as number) <= 1000 + 64 * 1024);
    const missing = await run({ url: `${servers.http}/big`, maxBodyBytes: 1000, bodyContains: 'yyy' });
    assert.match(missing.failure!.message, /only the first part of the body is checked/);
  });

  it('reports certificate facts for https even without verification', async () => {
    const outcome = await run({ url: `${servers.https.selfSigned}/ok`, tls: { verify: false } });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.details?.tlsVerifyError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.deepEqual(Object.keys(outcome.details?.certificate as object).sort(), ['expiresInMs', 'hostnameMatches', 'issuer', 'subject', 'validTo']);
  });
});
