import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { parseConfig } from '../config/load-config.ts';
import { ConfigError, formatIssue } from '../config/config-error.ts';
import { pagesConfigSchema } from './page-config.ts';
import { maintenanceConfigSchema } from '../maintenance/maintenance-config.ts';
import { createMaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { MAINTENANCE_TICK_MS } from '../subscriptions/maintenance-watch.ts';
import { startSmtpReceiver } from '../../test/support/receivers/smtp-receiver.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const PUBLIC = ['Website', 'Public API'];
const INTERNAL = ['Billing DB', 'Job queue'];
const SECRET = 'internal-secret-123';

/**
 * Two pages with disjoint checks from one instance: `status.acme.test` (by Host) shows the public
 * group, `/internal` (by path, behind its own auth header) the internal one. Neither page's HTML,
 * JSON v1/v2, feeds, badges or incident pages name the other's checks or incidents; the default
 * page (`page:`) is unchanged.
 */
describe('several pages from one instance', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [...PUBLIC, ...INTERNAL].map((name) => result(name, NOW - 30_000, name === 'Billing DB' ? 'down' : 'up', 90, name === 'Billing DB' ? { failure: { class: 'timeout', message: 'x' } } : {})));
    for (const [id, title, ...checks] of [['inc-db', 'Billing DB replication lag', 'Billing DB'], ['inc-api', 'Public API errors', 'Public API'], ['inc-both', 'Network trouble', 'Website', 'Job queue']]) {
      await store.saveIncident({ id, kind: 'incident', title, status: 'investigating', impact: 'major', checks, createdAt: NOW - 600_000, updatedAt: NOW - 600_000, source: 'api', updates: [{ id: `${id}-1`, status: 'investigating', body: `Looking into ${title}.`, at: NOW - 600_000 }] });
    }
  });
  after(async () => cleanup());

  const app = () => {
    const checks = [...PUBLIC.map((n) => testCheck(n, { group: 'Public' })), ...INTERNAL.map((n) => testCheck(n, { group: 'Internal' }))];
    const pages = pagesConfigSchema.parse([
      { host: 'status.acme.test', title: 'Acme public status', groups: ['Public'] },
      { path: '/internal', title: 'Acme internal', groups: ['Internal'], theme: { accent: '#8250df' }, auth: { header: 'X-Internal-Auth', secrets: [SECRET] } },
    ]);
    const maintenance = maintenanceConfigSchema.parse([{ name: 'queue-upgrade', title: 'Job queue upgrade', checks: ['Job queue'], start: new Date(NOW + 3_600_000).toISOString(), end: new Date(NOW + 7_200_000).toISOString() }]);
    const calendar = createMaintenanceCalendar(maintenance, checks);
    return createApp({ config: { ...testConfig(checks, { page: { title: 'Acme status' }, maintenance }), pages }, store, now: () => NOW, maintenance: calendar });
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app().request(path, { headers });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
  const onHost = (path: string) => get(path, { host: 'status.acme.test' });
  const internal = (path: string) => get(`/internal${path}`, { 'x-internal-auth': SECRET });
  const outputs = ['/', '/api/v1/status', '/api/v2/summary.json', '/api/v2/components.json', '/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', '/feed.atom', '/feed.rss', '/incidents'];

  it('shows only the public checks and incidents on the page chosen by Host', async () => {
    for (const path of outputs) {
      const { status, text } = await onHost(path);
      assert.equal(status, 200, path);
      for (const name of INTERNAL) assert.ok(!text.includes(name), `${path} names ${name}`);
      assert.ok(!text.includes('inc-db'), `${path} lists the internal incident`);
    }
    const html = (await onHost('/')).text;
    assert.match(html, /<title>Acme public status<\/title>/);
    for (const name of PUBLIC) assert.ok(html.includes(name), name);
    assert.match(html, /Public API errors/);
    assert.match(html, /Network trouble/, 'an incident about checks of both pages shows on both');
    assert.ok(!(await onHost('/incidents/inc-both')).text.includes('Job queue'), 'naming only this page\'s checks');
    assert.match((await get('/')).text, /Job queue upgrade/, 'the default page announces the configured window');
    const summary = JSON.parse((await onHost('/api/v2/summary.json')).text) as { components: { name: string }[]; incidents: { name: string }[] };
    assert.deepEqual(summary.components.map((c) => c.name).filter((n) => n !== 'Public').sort(), [...PUBLIC].sort());
    assert.deepEqual(summary.incidents.map((i) => i.name).sort(), ['Network trouble', 'Public API errors']);
    // the other page's check and incident do not exist here
    assert.equal((await onHost(`/checks/${componentId('Billing DB')}`)).status, 404);
    assert.equal((await onHost(`/api/v1/checks/${componentId('Billing DB')}`)).status, 404);
    assert.equal((await onHost('/incidents/inc-db')).status, 404);
    assert.match((await onHost(`/badge/${componentId('Billing DB')}/status.svg`)).text, /not found|unknown/i);
    assert.match((await onHost(`/badge/${componentId('Website')}/status.svg`)).text, /up|operational/i);
  });

  it('serves the internal page under its path, behind its own header, with its links prefixed', async () => {
    assert.equal((await get('/internal/')).status, 401, 'the page\'s own auth header is required');
    assert.equal((await get('/internal/api/v2/summary.json')).status, 401);
    for (const path of outputs) {
      const { status, text } = await internal(path);
      assert.equal(status, 200, path);
      for (const name of PUBLIC) assert.ok(!text.includes(name), `${path} names ${name}`);
      assert.ok(!text.includes('inc-api'), `${path} lists the public incident`);
    }
    const { text: html } = await internal('/');
    assert.match(html, /<title>Acme internal<\/title>/);
    assert.match(html, /--accent:#8250df/);
    assert.match(html, /Billing DB replication lag/);
    assert.match(html, /src="\/internal\/assets\/live\.js"/);
    assert.match(html, new RegExp(`href=/internal/checks/${componentId('Billing DB')}>`));
    assert.match(html, /href="\/internal\/feed\.atom"/);
    assert.ok(!/(?:href|src|action)="?\/(?!internal\/|\/)/.test(html.replace(/<use href="#[^"]*"/g, '')), 'every absolute link carries the prefix');
    assert.equal((await internal(`/checks/${componentId('Billing DB')}`)).status, 200);
    assert.equal((await internal(`/checks/${componentId('Website')}`)).status, 404);
    assert.equal((await internal('/assets/live.js')).status, 200);
    assert.match((await internal('/feed.atom')).text, /http:\/\/localhost\/internal\/incidents\/inc-db/);
    const redirect = await get('/internal', { 'x-internal-auth': SECRET });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/internal/');
  });

  it('keeps the default page (`page:`) as it was: every check, no auth', async () => {
    const { status, text } = await get('/');
    assert.equal(status, 200);
    assert.match(text, /<title>Acme status<\/title>/);
    for (const name of [...PUBLIC, ...INTERNAL]) assert.ok(text.includes(name), name);
    const summary = JSON.parse((await get('/api/v2/summary.json')).text) as { incidents: unknown[] };
    assert.equal(summary.incidents.length, 3);
  });

  it('narrows the default page too when `page:` names groups', async () => {
    const checks = [...PUBLIC.map((n) => testCheck(n, { group: 'Public' })), ...INTERNAL.map((n) => testCheck(n, { group: 'Internal' }))];
    const narrowed = createApp({ config: testConfig(checks, { page: { title: 'Acme status', groups: ['Public'] } }), store, now: () => NOW });
    for (const path of outputs) {
      const text = await (await narrowed.request(path)).text();
      for (const name of INTERNAL) assert.ok(!text.includes(name), `${path} names ${name}`);
      assert.ok(!text.includes('inc-db'), `${path} lists the internal incident`);
    }
    assert.match(await (await narrowed.request('/')).text(), /Public API errors/);
  });

  /** The three pages (default, by host, by path) in a server with a result bus, each with subscribers to tell. */
  // `only`: the internal page alone has a public URL, so only it has subscribers; mail goes to `smtpPort`;
  // `single`: the default page alone, no `pages:`
  const subscribedPages = (pageStore: EmbeddedStore, signal: AbortSignal, { only = false, single = false, smtpPort = 9 } = {}) => {
    const checks = [...PUBLIC.map((n) => testCheck(n, { group: 'Public' })), ...INTERNAL.map((n) => testCheck(n, { group: 'Internal' }))];
    const pages = pagesConfigSchema.parse([
      { host: 'status.acme.test', title: 'Acme public status', groups: ['Public'], publicUrl: only ? undefined : 'https://status.acme.test' },
      { path: '/internal', title: 'Acme internal', groups: ['Internal'], auth: { header: 'X-Internal-Auth', secrets: [SECRET] }, publicUrl: only ? 'https://internal.acme.test' : undefined },
    ]);
    const smtp = { host: '127.0.0.1', port: smtpPort, from: 'status@acme.test', to: [], requireTLS: false, subjectPrefix: '' };
    const subscriptions = { email: { notifier: 'mail', confirmWithinMs: 3_600_000, smtp }, rateLimit: { perAddressPerHour: 3, perClientPerHour: 20, sendsPerMinute: 600 } };
    const config = { ...testConfig(checks, { page: { title: 'Acme status', publicUrl: only ? undefined : 'https://acme.test' }, subscriptions }), pages: single ? undefined : pages };
    return createApp({ config, store: pageStore, bus: createResultBus(), now: () => NOW, signal });
  };

  it('serves every page\'s sign-up form in a server with subscriptions', async () => {
    const stop = new AbortController();
    const front = subscribedPages(store, stop.signal);
    try {
      assert.equal((await front.request('/subscribe')).status, 200);
      assert.equal((await front.request('/subscribe', { headers: { host: 'status.acme.test' } })).status, 200);
      assert.equal((await front.request('/internal/subscribe', { headers: { 'x-internal-auth': SECRET } })).status, 200);
    } finally {
      stop.abort();
    }
  });

  it('runs one maintenance watch for the process, however many pages subscribe', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    // every read of incidents, through the store the apps are given
    let reads = 0;
    const counted = Object.create(store) as EmbeddedStore;
    counted.listIncidents = (options) => {
      reads++;
      return store.listIncidents(options);
    };
    const stop = new AbortController();
    subscribedPages(counted, stop.signal);
    reads = 0;
    const tick = async () => {
      t.mock.timers.tick(MAINTENANCE_TICK_MS);
      await new Promise((resolve) => setImmediate(resolve));
    };
    await tick();
    assert.equal(reads, 1, 'incident reads in one tick');
    await tick();
    assert.equal(reads, 2, 'incident reads in two ticks');
    stop.abort();
    await tick();
    assert.equal(reads, 2, 'no tick once the app is replaced');
    // a single page runs its watch too
    const single = new AbortController();
    subscribedPages(counted, single.signal, { single: true });
    reads = 0;
    await tick();
    single.abort();
    assert.equal(reads, 1, 'incident reads in one tick of a single page');
  });

  it('announces to a narrowed page only the stored windows about its checks', async (t) => {
    const smtp = await startSmtpReceiver();
    t.after(() => smtp.close());
    t.mock.timers.enable({ apis: ['setInterval'] });
    const window = (id: string, checks: string[]) => ({
      id, kind: 'maintenance' as const, title: `Window ${id}`, status: 'scheduled' as const, impact: 'maintenance' as const, checks,
      createdAt: NOW - 86_400_000, updatedAt: NOW - 86_400_000, scheduledFor: NOW - 60_000, scheduledUntil: NOW + 3_600_000, source: 'api' as const, updates: [],
    });
    await store.saveIncident(window('mw-queue', ['Job queue', 'Website']));
    await store.saveIncident(window('mw-web', ['Website']));
    await store.saveSubscriber({ id: 'b'.repeat(32), email: 'ops@acme.test', checks: [], groups: [], confirmed: true, unsubscribeToken: 'tok', createdAt: NOW });
    const stop = new AbortController();
    t.after(() => stop.abort());
    subscribedPages(store, stop.signal, { only: true, smtpPort: smtp.port });
    t.mock.timers.tick(MAINTENANCE_TICK_MS);
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail.subject, '[Acme internal] Maintenance started: Window mw-queue');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.messages.length, 1, 'the window about the public page only is not the internal page\'s');
  });
});

describe('pages: config validation', () => {
  const issuesOf = (yaml: string[]) => {
    try {
      parseConfig(yaml.join('\n'), '/etc/upstate/upstate.yaml', { env: {} });
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.issues.map(formatIssue);
    }
    return [];
  };
  const checks = ['checks:', '  - name: api', '    group: Core', '    http: { url: "https://api.example.test/" }', '  - name: db', '    tcp: { host: db.example.test, port: 5432 }'];

  it('names unknown groups and checks and duplicate paths and hosts by file:line', () => {
    const issues = issuesOf([
      ...checks,
      'page: { checks: [ghost] }',
      'pages:',
      '  - path: /a',
      '    groups: [Core, Ghost]',
      '  - path: /a',
      '    checks: [db, nope]',
      '  - host: Status.Example.test',
      '  - host: status.example.test',
      '  - host: status.example.test',
      '    path: /a',
    ]);
    assert.deepEqual(issues, [
      'upstate.yaml:7 page.checks[0]: unknown check "ghost"',
      'upstate.yaml:10 pages[0].groups[1]: no check is in group "Ghost"',
      'upstate.yaml:11 pages[1].path: pages[0] already serves any host/a',
      'upstate.yaml:12 pages[1].checks[1]: unknown check "nope"',
      'upstate.yaml:14 pages[3].host: pages[2] already serves status.example.test/',
    ]);
  });

  it('refuses a page with neither path nor host, and a malformed path', () => {
    assert.deepEqual(issuesOf([...checks, 'pages:', '  - title: Nowhere', '  - path: internal/']), [
      'upstate.yaml:8 pages[0]: needs a path or a host (or both)',
      'upstate.yaml:9 pages[1].path: must be a path like /internal (no trailing slash)',
    ]);
  });

  it('accepts a config without pages: unchanged', () => {
    assert.deepEqual(issuesOf(checks), []);
  });
});
