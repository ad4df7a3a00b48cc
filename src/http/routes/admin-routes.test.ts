import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../create-app.ts';
import { componentId } from '../../status/component-id.ts';
import { createHash } from 'node:crypto';
import { SESSION_TTL_MS } from '../admin/admin-auth.ts';
import type { AlertEvent, Notification } from '../../domain/alert.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, result, seed, startServer, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const ADMIN = 'admin-token-0123456789abcdef';
const OTHER = 'second-admin-token-fedcba9876543210';

function notification(id: string, check: string, kind: AlertEvent['kind'], channel: string, at: number): Notification {
  return {
    id, channel, state: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at,
    event: { key: `down:${check}`, rule: 'down', check, kind, state: kind === 'resolved' ? 'OK' : 'ALARM', title: `${check} is ${kind === 'resolved' ? 'up' : 'down'}`, summary: 'Timeout.', at },
  };
}

describe('admin sign-in and alert history', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let now = NOW;
  let app: ReturnType<typeof createApp>;
  const API = componentId('API');

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [result('API', NOW - 20_000, 'up', 80), result('Website', NOW - 20_000, 'up', 50)]);
    const record = { key: 'down:API', rule: 'down', check: 'API', state: 'ALARM' as const, since: NOW - 600_000, evaluations: [true], version: 1 };
    await store.applyAlertTransition({
      record, fromVersion: 0,
      notifications: [notification('n1', 'API', 'firing', 'slack', NOW - 600_000), notification('n2', 'API', 'firing', 'email', NOW - 600_000)],
    });
    await store.completeNotification('n1', { sentAt: NOW - 599_000 });
    await store.completeNotification('n2', { error: 'connect ECONNREFUSED 10.0.0.5:25' });
    await store.applyAlertTransition({ record: { ...record, key: 'down:Website', check: 'Website' }, fromVersion: 0, notifications: [notification('n3', 'Website', 'firing', 'slack', NOW - 300_000)] });
    const config = testConfig([testCheck('API'), testCheck('Website')], { admin: { tokens: [{ name: 'ops', token: ADMIN }, { name: 'oncall', token: OTHER }] } });
    app = createApp({ config, store, now: () => now });
  });
  after(async () => cleanup());

  const login = (token: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    app.request('/admin/login', { method: 'POST', body: new URLSearchParams({ token, ...extra }), headers });
  const cookieOf = (res: Response) => /upstate_admin=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

  it('shows a sign-in form and refuses a wrong token', async () => {
    const form = await app.request('/admin/login');
    assert.equal(form.status, 200);
    assert.equal(form.headers.get('cache-control'), 'no-store');
    assert.match(await form.text(), /<input id="token" name="token" type="password"/);
    const wrong = await login('not-the-admin-token-000000');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);
    assert.match(await wrong.text(), /not a valid admin token/);
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie (Secure over https)', async () => {
    const res = await login(ADMIN, { next: `/checks/${API}` });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/checks/${API}`);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^upstate_admin=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    assert.ok(!cookie.includes(ADMIN), 'the token itself never goes into the cookie');
    const https = await login(ADMIN, { next: '//evil.example/' }, { 'x-forwarded-proto': 'https' });
    assert.match(https.headers.get('set-cookie') ?? '', /; Secure/);
    assert.equal(https.headers.get('location'), '/', 'no open redirects');
  });

  it('serves alert history to admins only (bearer or session), filtered by check', async () => {
    assert.equal((await app.request('/api/v1/alerts')).status, 401);
    const forged = `${Buffer.from('ops').toString('base64url')}.${Math.floor((NOW + SESSION_TTL_MS) / 1000)}.AAAA`;
    assert.equal((await app.request('/api/v1/alerts', { headers: { cookie: `upstate_admin=${forged}` } })).status, 401);

    const session = cookieOf(await login(ADMIN));
    const byCookie = await app.request(`/api/v1/alerts?check=${API}`, { headers: { cookie: `upstate_admin=${session}` } });
    assert.equal(byCookie.status, 200);
    const history = (await byCookie.json()) as { alerts: { key: string; state: string }[]; notifications: { id: string; kind: string; channel: string; state: string; attempts: number; lastError?: string }[] };
    assert.deepEqual(history.alerts.map((a) => [a.key, a.state]), [['down:API', 'ALARM']]);
    const byId = Object.fromEntries(history.notifications.map((n) => [n.id, n]));
    assert.deepEqual(Object.keys(byId).sort(), ['n1', 'n2']);
    assert.deepEqual([byId.n1.kind, byId.n1.channel, byId.n1.state, byId.n1.attempts], ['firing', 'slack', 'sent', 1]);
    assert.deepEqual([byId.n2.channel, byId.n2.state, byId.n2.lastError], ['email', 'failed', 'connect ECONNREFUSED 10.0.0.5:25']);

    const byBearer = await app.request('/api/v1/alerts?limit=1', { headers: { authorization: `Bearer ${OTHER}` } });
    assert.equal(((await byBearer.json()) as { notifications: unknown[] }).notifications.length, 1);
    assert.equal((await app.request('/api/v1/alerts?limit=0', { headers: { authorization: `Bearer ${OTHER}` } })).status, 400);
    assert.equal((await app.request('/api/v1/alerts?check=nope', { headers: { authorization: `Bearer ${OTHER}` } })).status, 404);
    assert.equal((await app.request('/api/v1/alerts', { headers: { authorization: `Bearer ${OTHER}x` } })).status, 401);
  });

  it('shows alert history on the check page to a signed-in admin, never to anonymous visitors', async () => {
    const anonymous = await app.request(`/checks/${API}`);
    const anonymousHtml = await anonymous.text();
    assert.doesNotMatch(anonymousHtml, /Alert history|ECONNREFUSED/);
    assert.match(anonymous.headers.get('vary') ?? '', /Cookie/);
    const session = cookieOf(await login(ADMIN));
    const admin = await app.request(`/checks/${API}`, { headers: { cookie: `upstate_admin=${session}` } });
    assert.equal(admin.headers.get('cache-control'), 'private, no-store');
    const html = await admin.text();
    assert.match(html, /Alert history[\s\S]*Signed in as ops/);
    assert.match(html, /connect ECONNREFUSED 10\.0\.0\.5:25/);
    assert.doesNotMatch(html, /Website is down/, 'only this check');
    // The admin render never leaks into the shared cache.
    assert.doesNotMatch(await (await app.request(`/checks/${API}`)).text(), /Alert history/);
  });

  it('logout ends the session: a cookie captured before POST /admin/logout no longer works, on any instance', async () => {
    // a second instance over the same store, as in cluster mode
    const other = createApp({ config: testConfig([testCheck('API')], { admin: { tokens: [{ name: 'ops', token: ADMIN }] } }), store, now: () => now });
    const session = cookieOf(await login(ADMIN));
    const alerts = (on: typeof app) => on.request('/api/v1/alerts', { headers: { cookie: `upstate_admin=${session}` } });
    assert.equal((await alerts(app)).status, 200);
    assert.equal((await alerts(other)).status, 200, 'other instances accept it');
    const logout = await other.request('/admin/logout', { method: 'POST', headers: { cookie: `upstate_admin=${session}` } });
    assert.equal(logout.status, 303);
    assert.match(logout.headers.get('set-cookie') ?? '', /upstate_admin=; Max-Age=0/);
    assert.equal((await alerts(other)).status, 401, 'the captured cookie is refused where it logged out');
    assert.equal((await alerts(app)).status, 401, 'and on the instance that issued it');
  });

  it('ends sessions on expiry and when the token is rotated or removed', async () => {
    const session = cookieOf(await login(ADMIN));
    const alerts = (on: typeof app = app) => on.request('/api/v1/alerts', { headers: { cookie: `upstate_admin=${session}` } });
    now += SESSION_TTL_MS + 1000;
    assert.equal((await alerts()).status, 401, 'expired');
    now = NOW;
    const fresh = cookieOf(await login(ADMIN));
    const rotated = createApp({ config: testConfig([testCheck('API')], { admin: { tokens: [{ name: 'ops', token: 'a-new-admin-token-0000000000' }] } }), store, now: () => now });
    assert.equal((await rotated.request('/api/v1/alerts', { headers: { cookie: `upstate_admin=${fresh}` } })).status, 401, 'a rotated token ends its sessions');
    const removed = createApp({ config: testConfig([testCheck('API')], { admin: { tokens: [{ name: 'oncall', token: OTHER }] } }), store, now: () => now });
    assert.equal((await removed.request('/api/v1/alerts', { headers: { cookie: `upstate_admin=${fresh}` } })).status, 401, 'a removed token ends its sessions');
  });

  it('keeps only a hash of the session id in the store', async () => {
    const session = cookieOf(await login(ADMIN)) ?? '';
    assert.equal(await store.findSession(session, now), undefined, 'the raw id is not a key');
    assert.equal((await store.findSession(createHash('sha256').update(session).digest('hex'), now))?.subject.startsWith('ops:'), true);
  });

  it('does not accept the session cookie for incident writes (CSRF)', async () => {
    const session = cookieOf(await login(ADMIN));
    const res = await app.request('/api/v1/incidents', {
      method: 'POST', headers: { cookie: `upstate_admin=${session}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x', body: 'y' }),
    });
    assert.equal(res.status, 401);
    assert.equal((await app.request('/api/v1/incidents', { headers: { cookie: `upstate_admin=${session}` } })).status, 200, 'reading is fine');
  });

  it('signs in through a browser-like round trip on a real server', async () => {
    const server = await startServer(app);
    try {
      const res = await fetch(`${server.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: ADMIN }), redirect: 'manual' });
      assert.equal(res.status, 303);
      const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
      const page = await (await fetch(`${server.url}/admin/login`, { headers: { cookie } })).text();
      assert.match(page, /signed in as <strong>ops<\/strong>/);
    } finally {
      await server.close();
    }
  });
});
