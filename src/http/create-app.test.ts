import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import type { StatusModel } from '../status/status-model.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const CHECKS = [
  testCheck('Website', { description: 'Marketing site' }),
  testCheck('API', { group: 'Backend', description: 'Public REST API' }),
  testCheck('Database', { group: 'Backend' }),
  testCheck(`Evil ${XSS}`, { group: `Group ${XSS}`, description: `Desc ${XSS}` }),
];

describe('createApp', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [
      result('Website', NOW - 3 * 86_400_000, 'up', 80),
      result('Website', NOW - 30_000, 'up', 87, { statusCode: 200 }),
      result('API', NOW - 20_000, 'down', 10_000, { failure: { class: 'timeout', message: 'no response within 10s' } }),
      result(`Evil ${XSS}`, NOW - 10_000, 'degraded', 1500, { failure: { class: 'body', message: `body had ${XSS}` } }),
    ]);
  });
  after(async () => cleanup());

  const app = (extra: Parameters<typeof testConfig>[1] = {}) => createApp({ config: testConfig(CHECKS, extra), store, now: () => NOW });

  it('renders the status page from real stored results', async () => {
    const res = await app().request('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await res.text();
    assert.match(html, /<title>Acme status<\/title>/);
    assert.match(html, /Partial outage/);
    const section = (name: string) => html.slice(html.indexOf(`id=c-${componentId(name)} `)).split('</li>\n')[0];
    assert.match(section('Website'), /Operational/);
    assert.match(section('Website'), /87 ms/);
    assert.match(section('Website'), /<time datetime="2026-03-15T12:29:30.000Z"[^>]*>30 s ago<\/time>/);
    assert.match(section('API'), /Outage/);
    // anonymous visitors get the class-level reason, never the probe's own message
    assert.match(section('API'), /<p class=fail>Timed out<\/p>/);
    assert.doesNotMatch(section('API'), /no response within 10s/);
    assert.match(section('Database'), /No data/);
    // 90 day columns; runs of identical days are one element with a tooltip covering the run.
    const bar = /<ol class=bar[^>]*>(.*?)<\/ol>/.exec(section('Website'))?.[1] ?? '';
    const spans = (bar.match(/<li[^>]*>/g) ?? []).map((li) => Number(/--n:(\d+)/.exec(li)?.[1] ?? 1));
    assert.deepEqual(spans, [86, 1, 2, 1]);
    assert.match(section('Website'), /<li class=un style=--n:86 title="Dec 16 – Mar 11: no data">/);
    assert.match(section('Website'), /<li title="Mar 12: 100%">/);
    assert.match(section('Website'), /<li class=un style=--n:2 title="Mar 13 – Mar 14: no data">/);
  });

  it('groups checks in config order with ungrouped checks first-seen', async () => {
    const html = await (await app().request('/')).text();
    const order = ['Website', 'Backend', 'API', 'Database', 'Group &lt;script&gt;'].map((text) => html.indexOf(text));
    assert.ok(order.every((i) => i > 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  it('escapes markup in check names, descriptions, groups, failures and the page title', async () => {
    const html = await (await app({ page: { title: `Acme ${XSS}`, description: XSS } }).request('/')).text();
    assert.ok(!html.includes(XSS), 'raw payload must not appear');
    assert.ok(!/<img src=x/i.test(html));
    assert.deepEqual(html.match(/<script\b[^>]*>/g), ['<script src="/assets/live.js" data-live="0" defer>'], 'only the page script');
    assert.ok(html.includes('Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    // the probe's message reaches only an admin's page, escaped there too
    const token = 'admin-token-0123456789abcdef';
    const adminApp = app({ admin: { tokens: [{ name: 'ops', token }] } });
    const detail = await (await adminApp.request(`/checks/${componentId(`Evil ${XSS}`)}`, { headers: { authorization: `Bearer ${token}` } })).text();
    assert.ok(!detail.includes(XSS));
    assert.ok(detail.includes('body had &lt;script&gt;'));
  });

  it('serves the status model as JSON', async () => {
    const res = await app().request('/api/v1/status');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const model = (await res.json()) as Omit<StatusModel, 'groups'> & { groups: { name: string | null; components: string[] }[] };
    assert.equal(model.overall.status, 'partial_outage');
    assert.deepEqual(model.groups[1].components, [componentId('API'), componentId('Database')]);
    // the series come only when asked for (`?include=daily,hourly`); `links` says where
    assert.equal('hourly24h' in model.components[0].latency, false);
    assert.equal('daily' in model.components[0], false);
    assert.equal('hourly7d' in model.components[0].latency, false);
    assert.equal((model as unknown as { links: { daily: string } }).links.daily, '/api/v1/status?include=daily');
    const full = (await (await app().request('/api/v1/status?include=hourly,daily')).json()) as StatusModel;
    assert.equal(full.components[0].latency.hourly24h.length, 24);
    assert.equal(full.components[0].daily.length, 90);
    assert.equal(full.groups[0].daily.length, 90);
    assert.equal('hourly7d' in full.components[0].latency, false);
    const bad = await app().request('/api/v1/status?include=weekly');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /include must list daily and\/or hourly/);
    const one = (await (await app().request(`/api/v1/checks/${componentId('API')}`)).json()) as StatusModel['components'][number];
    assert.equal(one.latency.hourly7d.length, 168);
    assert.equal(one.name, 'API');
    assert.equal(model.overall.indicator, 'major');
    assert.deepEqual(model.groups.map((g) => g.name), [null, 'Backend', `Group ${XSS}`]);
    const api = model.components.find((c) => c.name === 'API')!;
    assert.equal(api.id, componentId('API'));
    assert.equal(api.status, 'down');
    assert.deepEqual(api.lastFailure, { class: 'timeout', message: 'Timed out', at: NOW - 20_000 });
    assert.equal(api.uptime['24h'], 0);
    assert.equal(model.components.find((c) => c.name === 'Database')!.status, 'unknown');
  });

  it('serves a check page and recent results with a validated limit', async () => {
    const id = componentId('Website');
    const page = await app().request(`/checks/${id}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>Website<\/h1>/);
    assert.match(html, /Median \(p50\)/);
    assert.match(html, /87 ms/);
    const res = await app().request(`/api/v1/checks/${id}/results?limit=1`);
    const body = (await res.json()) as { check: { name: string }; results: { at: number; latencyMs: number }[] };
    assert.equal(body.check.name, 'Website');
    assert.deepEqual(body.results.map((r) => r.latencyMs), [87]);
    const unknown = await (await app().request(`/checks/${componentId('Database')}`)).text();
    assert.match(unknown, /No data/);
    assert.match(unknown, /No results yet\./);
    const bad = await app().request(`/api/v1/checks/${id}/results?limit=abc`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'bad_request');
  });

  it('answers unknown pages and checks with a 404 page or JSON error', async () => {
    const page = await app().request('/checks/000000000000');
    assert.equal(page.status, 404);
    assert.match(await page.text(), /There is no check with this id/);
    const other = await app().request('/nope');
    assert.equal(other.status, 404);
    assert.match(other.headers.get('content-type') ?? '', /text\/html/);
    const api = await app().request('/api/v1/checks/000000000000/results');
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), { error: { status: 404, code: 'not_found', message: 'There is no check with this id.' } });
  });

  it('requires the auth header on every route except /healthz', async () => {
    const secured = app({ auth: { header: 'X-Upstate-Auth', secrets: ['first-secret', 'second-secret'] } });
    const id = componentId('API');
    const routes = ['/', `/checks/${id}`, '/api/v1/status', `/api/v1/checks/${id}`, `/api/v1/checks/${id}/results`, '/events', '/nope', '/x.json'];
    for (const path of routes) {
      for (const headers of [{}, { 'X-Upstate-Auth': 'wrong-secret' }, { 'X-Upstate-Auth': 'first-secre' }, { 'X-Other': 'first-secret' }] as Record<string, string>[]) {
        const res = await secured.request(path, { headers });
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        const body = await res.text();
        for (const name of ['Website', 'API', 'Database', 'Backend', 'Operational', 'Outage']) {
          assert.ok(!body.includes(name), `${path}: 401 body must not mention ${name}`);
        }
        const json = path.startsWith('/api/') || path.endsWith('.json') || path === '/events';
        assert.match(res.headers.get('content-type') ?? '', json ? /application\/json/ : /text\/html/, path);
        if (json) assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'unauthorized');
        else assert.match(body, /Access denied/);
      }
    }
    for (const secret of ['first-secret', 'second-secret']) {
      const ok = await secured.request('/api/v1/status', { headers: { 'x-upstate-auth': secret } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('cache-control'), 'private, max-age=30');
    }
    const page = await secured.request('/', { headers: { 'X-Upstate-Auth': 'second-secret' } });
    assert.match(await page.text(), /Website/);
    const health = await secured.request('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  it('sends ETag, Last-Modified and Cache-Control, and answers 304 to a matching If-None-Match', async () => {
    const a = app();
    for (const path of ['/', '/api/v1/status', `/checks/${componentId('API')}`]) {
      const first = await a.request(path);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/);
      assert.equal(first.headers.get('cache-control'), 'public, max-age=30');
      assert.ok(first.headers.get('last-modified'));
      const again = await a.request(path, { headers: { 'If-None-Match': etag! } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
      const weak = await a.request(path, { headers: { 'If-None-Match': `W/${etag}` } });
      assert.equal(weak.status, 304);
      const changed = await a.request(path, { headers: { 'If-None-Match': '"other"' } });
      assert.equal(changed.status, 200);
    }
  });

  it('compresses large responses when the client accepts gzip', async () => {
    const res = await app().request('/', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.match(res.headers.get('etag') ?? '', /^W\//);
  });

  it('turns store failures into a generic 500 without leaking the error', async () => {
    const broken = await openTestStore();
    await broken.cleanup(); // closed: every read now throws inside better-sqlite3
    const logged: unknown[] = [];
    const failing = createApp({ config: testConfig(CHECKS), store: broken.store, now: () => NOW, logger: { warn: () => {}, error: (obj) => logged.push(obj) } });
    const page = await failing.request('/');
    assert.equal(page.status, 500);
    const html = await page.text();
    assert.match(html, /Something went wrong/);
    assert.doesNotMatch(html, /database|sqlite|Error:/i);
    const api = await failing.request('/api/v1/status');
    assert.equal(api.status, 500);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'internal_error');
    assert.equal(logged.length, 2);
    assert.equal((await failing.request('/healthz')).status, 200);
  });

  it('lets a template folder override the default theme by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-theme-'));
    try {
      mkdirSync(join(dir, 'theme'));
      writeFileSync(join(dir, 'theme', 'index.njk'), '{% extends "layout.njk" %}{% block main %}<p id="custom">Custom {{ model.components.length }} checks: {% for c in model.components %}[{{ c.name }}]{% endfor %}</p>{% endblock %}');
      // `templates` is relative to the directory of the config file.
      const relative = { ...testConfig(CHECKS, { page: { title: 'Acme', templates: 'theme' } }), source: join(dir, 'upstate.yaml') };
      const html = await (await createApp({ config: relative, store, now: () => NOW }).request('/')).text();
      assert.match(html, /<p id="custom">Custom 4 checks: \[Website\]\[API\]\[Database\]\[Evil &lt;script&gt;/);
      assert.match(html, /<title>Acme<\/title>/, 'the default layout still applies');
      const detail = await (await createApp({ config: relative, store, now: () => NOW }).request(`/checks/${componentId('API')}`)).text();
      assert.match(detail, /Median \(p50\)/, 'templates not overridden come from the default theme');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
