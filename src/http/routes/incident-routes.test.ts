import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../create-app.ts';
import type { Incident } from '../../domain/incident.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const ADMIN = 'admin-token-0123456789abcdef';
const PROXY = { 'X-Proxy-Auth': 'proxy-secret-123' };

describe('incident admin API and pages', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let now = NOW;
  let app: ReturnType<typeof createApp>;
  const call = (path: string, init: { method?: string; body?: unknown; token?: string | null; proxy?: boolean } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.proxy === false ? {} : PROXY),
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? ADMIN}` }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
  const page = async (path: string) => (await app.request(path, { headers: PROXY })).text();

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [result('API', NOW - 20_000, 'up', 80), result('Website', NOW - 20_000, 'up', 50)]);
    await store.saveIncident({
      id: 'cfg-old', kind: 'incident', title: 'Declared in config', status: 'resolved', impact: 'minor', checks: [], createdAt: Date.UTC(2026, 0, 10), updatedAt: Date.UTC(2026, 0, 10),
      resolvedAt: Date.UTC(2026, 0, 10), source: 'config', updates: [{ id: 'c1', status: 'resolved', body: 'Fixed in January.', at: Date.UTC(2026, 0, 10) }],
    });
    const config = testConfig([testCheck('API'), testCheck('Website')], {
      auth: { header: 'X-Proxy-Auth', secrets: ['proxy-secret-123'] },
      admin: { tokens: [{ name: 'ops', token: ADMIN }] },
      page: { title: 'Acme status', cacheSeconds: 60 },
    });
    app = createApp({ config, store, now: () => now });
  });
  after(async () => cleanup());

  it('requires an admin bearer token (and still the proxy header)', async () => {
    const anonymous = await call('/api/v1/incidents', { token: null });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="upstate-admin"');
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'admin_required');
    assert.equal((await call('/api/v1/incidents', { token: 'wrong-token-0123456789abcdef' })).status, 401);
    assert.equal((await call('/api/v1/incidents', { method: 'POST', token: 'x', body: { title: 'x' } })).status, 401);
    assert.equal((await call('/api/v1/incidents', { proxy: false })).status, 401, 'the proxy header is checked first');
    const list = await call('/api/v1/incidents');
    assert.equal(list.status, 200);
    assert.deepEqual(((await list.json()) as { incidents: Incident[] }).incidents.map((i) => i.id), ['cfg-old']);
  });

  it('rejects bad bodies with 400 naming the field', async () => {
    const error = async (body: unknown) => {
      const res = await call('/api/v1/incidents', { method: 'POST', body });
      assert.equal(res.status, 400);
      return ((await res.json()) as { error: { message: string } }).error.message;
    };
    assert.match(await error({ body: 'x' }), /^title: /);
    assert.match(await error({ title: 'x' }), /^body: an incident needs a first update/);
    assert.match(await error({ title: 'x', body: 'y', status: 'in_progress' }), /^status: must be one of investigating, /);
    assert.match(await error({ title: 'x', body: 'y', checks: ['API', 'Nope'] }), /^checks\.1: no check is named "Nope"/);
    assert.match(await error({ title: 'x', body: 'y', colour: 'red' }), /colour/);
    assert.match(await error({ kind: 'maintenance', title: 'x', scheduledFor: '2026-04-01T22:00:00Z', scheduledUntil: '2026-04-01T21:00:00Z' }), /^scheduledUntil: must be after scheduledFor/);
    assert.match(await error({ kind: 'maintenance', title: 'x', scheduledFor: 'tomorrow' }), /^scheduledFor: /);
    assert.match(await error('{"title": '), /^body: is not valid JSON/);
    const huge = await call('/api/v1/incidents', { method: 'POST', body: { title: 'x', body: 'y'.repeat(70_000) } });
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { error: { code: string } }).error.code, 'payload_too_large');
  });

  it('creates, updates and resolves an incident; the cached page shows each change at once', async () => {
    assert.doesNotMatch(await page('/'), /Checkout failures/); // renders and caches the page
    const created = await call('/api/v1/incidents', { method: 'POST', body: { title: 'Checkout failures', impact: 'major', checks: ['API'], body: 'We are investigating failed payments.' } });
    assert.equal(created.status, 201);
    const { incident } = (await created.json()) as { incident: Incident };
    assert.match(incident.id, /^inc_[0-9a-f]{16}$/);
    assert.equal(created.headers.get('location'), `/api/v1/incidents/${incident.id}`);
    assert.equal((await store.getIncident(incident.id))?.source, 'api');

    let home = await page('/');
    assert.match(home, /Active incidents[\s\S]*Checkout failures[\s\S]*We are investigating failed payments\./);

    for (const [status, body] of [['identified', 'A card processor is rejecting requests.'], ['monitoring', 'A fix is deployed.']] as const) {
      now += 60_000;
      const res = await call(`/api/v1/incidents/${incident.id}`, { method: 'PATCH', body: { status, body } });
      assert.equal(res.status, 200);
    }
    home = await page('/');
    const active = home.slice(home.indexOf('Active incidents'), home.indexOf('id="g-'));
    // The whole timeline, newest first.
    const order = ['A fix is deployed.', 'A card processor is rejecting requests.', 'We are investigating failed payments.'].map((t) => active.indexOf(t));
    assert.ok(order.every((i) => i > 0) && order[0] < order[1] && order[1] < order[2], String(order));
    assert.match(active, /<strong>Monitoring<\/strong>/);

    now += 60_000;
    const resolved = (await (await call(`/api/v1/incidents/${incident.id}`, { method: 'PATCH', body: { status: 'resolved', body: 'Payments work again.' } })).json()) as { incident: Incident };
    assert.equal(resolved.incident.resolvedAt, now);
    assert.deepEqual(resolved.incident.updates.map((u) => u.status), ['investigating', 'identified', 'monitoring', 'resolved']);
    home = await page('/');
    assert.doesNotMatch(home, /Active incidents/);
    assert.match(home.slice(home.indexOf('Past incidents')), /Checkout failures[\s\S]*Payments work again\./);

    const detail = await page(`/incidents/${incident.id}`);
    assert.match(detail, /<h1 class="lead">Checkout failures<\/h1>/);
    assert.match(detail, /<a href="\/checks\/[0-9a-f]{12}">API<\/a>/);
    for (const s of ['Resolved', 'Monitoring', 'Identified', 'Investigating']) assert.match(detail, new RegExp(`<strong>${s}</strong>`));

    const bad = await call(`/api/v1/incidents/${incident.id}`, { method: 'PATCH', body: { status: 'completed' } });
    assert.equal(bad.status, 400);
    assert.equal((await call(`/api/v1/incidents/${incident.id}`, { method: 'PATCH', body: {} })).status, 400);
    assert.equal((await call('/api/v1/incidents/inc_nope', { method: 'PATCH', body: { body: 'x' } })).status, 404);
  });

  it('announces maintenance with its timeline and lists history by month', async () => {
    const res = await call('/api/v1/incidents', {
      method: 'POST',
      body: { kind: 'maintenance', title: 'Database upgrade', checks: ['Website'], scheduledFor: now + 86_400_000, scheduledUntil: now + 90_000_000, body: 'Expect a minute of read-only mode.' },
    });
    assert.equal(res.status, 201);
    const { incident } = (await res.json()) as { incident: Incident };
    const home = await page('/');
    assert.match(home, /<h2 id="h-maint">Maintenance<\/h2>[\s\S]*Database upgrade[\s\S]*Expect a minute of read-only mode\./);

    const history = await page('/incidents');
    assert.match(history, /March 2026[\s\S]*Checkout failures[\s\S]*January 2026[\s\S]*Declared in config/);
    assert.doesNotMatch(history, /Database upgrade/, 'upcoming maintenance is not history');
    now += 1000;
    await call(`/api/v1/incidents/${incident.id}`, { method: 'PATCH', body: { status: 'completed', body: 'Done early.' } });
    assert.match(await page('/incidents'), /Database upgrade[\s\S]*Done early\./);
  });

  it('deletes API incidents, refuses to edit config ones, and 404s unknown ids', async () => {
    const { incident } = (await (await call('/api/v1/incidents', { method: 'POST', body: { title: 'Oops', body: 'Posted by mistake.' } })).json()) as { incident: Incident };
    assert.match(await page('/'), /Oops/);
    const deleted = await call(`/api/v1/incidents/${incident.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal(await store.getIncident(incident.id), undefined);
    assert.doesNotMatch(await page('/'), /Oops/);
    assert.equal((await call(`/api/v1/incidents/${incident.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await app.request(`/incidents/${incident.id}`, { headers: PROXY })).status, 404);

    const conflict = await call('/api/v1/incidents/cfg-old', { method: 'PATCH', body: { body: 'edit' } });
    assert.equal(conflict.status, 409);
    assert.equal((await call('/api/v1/incidents/cfg-old', { method: 'DELETE' })).status, 409);
  });
});
