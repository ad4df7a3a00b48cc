import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './create-app.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { componentId } from '../status/component-id.ts';
import { probes } from '../probes/registry.ts';
import { runCheck } from '../pipeline/run-check.ts';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, seed, startServer, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const URL_SECRET = 'SECRET123';
const HEADER_SECRET = 'HDRSECRET456';
const ADMIN = 'admin-token-0123456789abcdef';

/**
 * Real probes against real local servers produce real failure messages (they name the URL with
 * its query string, the host and port, and a header the target echoed back); every public output
 * must show a class-level reason only, and a signed-in admin still sees the full detail.
 */
describe('public outputs never show probe details', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let target: Server;
  let port = 0;
  let closedPort = 0;
  let shownPort = 0;
  let checks: Check[];
  let results: CheckResult[];
  const bus = createResultBus();
  let app: ReturnType<typeof createApp>;
  // Fragments that only a probe detail contains: the secrets, the target's host and ports.
  const leaks = () => [URL_SECRET, HEADER_SECRET, '127.0.0.1', `:${port}`, `:${closedPort}`];

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    target = createServer((req, res) => {
      if (req.url?.startsWith('/down')) return void res.writeHead(503).end('unavailable');
      // echoes the credential it was sent, as some proxies and debug endpoints do
      res.writeHead(200, { 'x-echo': String(req.headers['x-api-key'] ?? '') }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    port = (target.address() as AddressInfo).port;
    const freedPort = async () => {
      const spare = createServer();
      await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
      const { port: free } = spare.address() as AddressInfo;
      await new Promise<void>((resolve) => spare.close(() => resolve()));
      return free;
    };
    closedPort = await freedPort();
    // The opted-in check has its own host spelling and port, so its shown target is told apart.
    shownPort = await freedPort();

    const http = (name: string, url: string, extra: Record<string, unknown> = {}, checkExtra: Partial<Check> = {}) => {
      const probe = probes.http.schema.parse({ url, headers: { 'X-Api-Key': HEADER_SECRET }, ...extra });
      return testCheck(name, { kind: 'http', probe, target: probes.http.describe(probe), timeoutMs: 3000, ...checkExtra });
    };
    checks = [
      http('Status', `http://127.0.0.1:${port}/down?api_key=${URL_SECRET}`),
      http('Refused', `http://127.0.0.1:${closedPort}/health?api_key=${URL_SECRET}`, {}, { group: 'Backend' }),
      http('Echo', `http://127.0.0.1:${port}/ok?api_key=${URL_SECRET}`, { headersMatch: { 'x-echo': 'expected-value' } }, { group: 'Backend' }),
      http('Shown', `http://localhost:${shownPort}/public?api_key=${URL_SECRET}`, {}, { showTarget: true }),
    ];
    const deps = {
      probes,
      now: Date.now,
      conditionsOf: () => [],
      lastHeartbeat: async () => undefined,
      shutdown: new AbortController().signal,
      region: undefined,
    };
    results = await Promise.all(checks.map((c) => runCheck(c, deps)));
    // the probes' own messages do name what must stay private
    assert.ok(results.every((r) => r.status === 'down' && r.failure), JSON.stringify(results));
    assert.ok(results.some((r) => r.failure?.message.includes(URL_SECRET)), 'a message names the URL');
    assert.ok(results.some((r) => r.failure?.message.includes(HEADER_SECRET)), 'a message echoes the header');
    await seed(store, results);
    const config = testConfig(checks, { admin: { tokens: [{ name: 'ops', token: ADMIN }] } });
    app = createApp({ config, store, bus });
  });
  after(async () => {
    await cleanup();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });

  const ids = () => checks.map((c) => componentId(c.name));
  const publicPaths = () => [
    '/',
    '/incidents',
    '/api/v1/status',
    '/api/v2/summary.json',
    '/api/v2/status.json',
    '/api/v2/components.json',
    '/api/v2/incidents.json',
    '/api/v2/incidents/unresolved.json',
    '/api/v2/scheduled-maintenances.json',
    '/api/v2/scheduled-maintenances/upcoming.json',
    '/api/v2/scheduled-maintenances/active.json',
    '/feed.rss',
    '/feed.atom',
    '/metrics',
    ...ids().flatMap((id) => [`/checks/${id}`, `/api/v1/checks/${id}`, `/api/v1/checks/${id}/results`, `/api/v1/checks/${id}/days`, `/badge/${id}/status.svg`, `/badge/${id}/uptime.svg`]),
  ];

  /** The live stream's first `results` event after publishing the probes' results. */
  async function sseBody(): Promise<string> {
    const server = await startServer(app);
    try {
      const res = await fetch(`${server.url}/events`);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('event: hello')) text += decoder.decode((await reader.read()).value);
      await bus.publish({ results, states: statesAfter(results) });
      while (!text.includes('event: results')) text += decoder.decode((await reader.read()).value);
      while (!/event: results[\s\S]*\n\n/.test(text)) text += decoder.decode((await reader.read()).value);
      await reader.cancel();
      return text;
    } finally {
      await server.close();
    }
  }

  it('shows no secret, host or port on any public output', async () => {
    const leaking: string[] = [];
    const paths = publicPaths();
    for (const path of paths) {
      const res = await app.request(path);
      assert.ok(res.status === 200, `${path}: ${res.status}`);
      const body = await res.text();
      const found = leaks().filter((s) => body.includes(s));
      if (found.length) leaking.push(`${path} (${found.join(', ')})`);
    }
    const sse = await sseBody();
    assert.match(sse, /event: results/);
    const found = leaks().filter((s) => sse.includes(s));
    if (found.length) leaking.push(`/events (${found.join(', ')})`);
    assert.deepEqual(leaking, [], `${leaking.length} of ${paths.length + 1} public outputs leak`);
  });

  it('says what kind of failure it was, in class-level words', async () => {
    const status = JSON.parse(await (await app.request('/api/v1/status')).text());
    const reasons = Object.fromEntries(status.components.map((c: { name: string; lastFailure: { message: string } }) => [c.name, c.lastFailure.message]));
    assert.deepEqual(reasons, { Status: 'HTTP 503', Refused: 'Connection refused', Echo: 'Unexpected response header', Shown: 'Connection refused' });
    const html = await (await app.request('/')).text();
    assert.match(html, /HTTP 503/);
    assert.match(html, /Connection refused/);
    const detail = await (await app.request(`/checks/${componentId('Status')}`)).text();
    assert.match(detail, /HTTP 503/);
  });

  it('shows the target of a check that opted in, without its query string', async () => {
    const shown = await (await app.request(`/checks/${componentId('Shown')}`)).text();
    assert.ok(shown.includes(`/public`), 'the opted-in target is shown');
    assert.ok(!shown.includes(URL_SECRET));
    const json = JSON.parse(await (await app.request(`/api/v1/checks/${componentId('Shown')}`)).text());
    assert.equal(json.target, `http://localhost:${shownPort}/public`);
    const other = JSON.parse(await (await app.request(`/api/v1/checks/${componentId('Status')}`)).text());
    assert.equal(other.target, undefined);
  });

  it('shows the full detail to a signed-in admin, and never caches it for others', async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const page = await (await app.request(`/checks/${componentId('Refused')}`, { headers: auth })).text();
    assert.ok(page.includes(`${closedPort}`), 'admin sees the target in the message');
    assert.ok(page.includes(URL_SECRET), 'admin sees the full message');
    const raw = JSON.parse(await (await app.request(`/api/v1/checks/${componentId('Echo')}/results`, { headers: auth })).text());
    assert.ok(raw.results[0].failure.message.includes(HEADER_SECRET));
    const anonymous = await (await app.request(`/checks/${componentId('Refused')}`)).text();
    assert.ok(!anonymous.includes(URL_SECRET));
    const anonymousResults = await (await app.request(`/api/v1/checks/${componentId('Echo')}/results`)).text();
    assert.ok(!anonymousResults.includes(HEADER_SECRET));
  });
});
