import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlValidate } from 'html-validate';
import { createApp } from '../create-app.ts';
import { createStoredMaintenance } from '../../alerting/stored-maintenance.ts';
import type { Incident } from '../../domain/incident.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const ADMIN = 'admin-token-0123456789abcdef';
/**
 * The rules of html-validity.test.ts (the public layout's deliberate choices are allowed here too),
 * plus one: the affected-checks boxes share the name `checks`, as a checkbox group does.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'no-implicit-close': 'off', 'attr-quotes': 'off', 'no-inline-style': 'off', 'meta-refresh': 'off',
    'form-dup-name': ['error', { shared: ['radio', 'button', 'reset', 'submit', 'checkbox'] }],
  },
});
const CHECKS = [testCheck('API', { group: 'Core' }), testCheck('Website'), testCheck('Database', { group: 'Core' })];

describe('admin UI (forms)', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let now = NOW;
  let app: ReturnType<typeof createApp>;
  let cookie: string;
  let csrf: string;

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, CHECKS.map((c) => result(c.name, NOW - 20_000, 'up', 80)));
    await store.saveIncident({
      id: 'cfg-1', kind: 'incident', title: 'Declared in config', status: 'investigating', impact: 'minor', checks: ['API'],
      createdAt: NOW - 60_000, updatedAt: NOW - 60_000, source: 'config', updates: [{ id: 'c1', status: 'investigating', body: 'From the file.', at: NOW - 60_000 }],
    });
    const config = testConfig(CHECKS, { admin: { tokens: [{ name: 'ops', token: ADMIN }] } });
    app = createApp({ config, store, now: () => now });
    cookie = await signIn();
    csrf = await tokenOf(cookie, '/admin/incidents/new');
  });
  after(async () => cleanup());

  async function signIn(): Promise<string> {
    const res = await app.request('/admin/login', { method: 'POST', body: new URLSearchParams({ token: ADMIN }) });
    const header = res.headers.get('set-cookie') ?? '';
    // the session cookie never leaves the site: SameSite=Strict, and scripts cannot read it
    assert.match(header, /; HttpOnly; SameSite=Strict/);
    return `upstate_admin=${/upstate_admin=([^;]*)/.exec(header)?.[1]}`;
  }
  async function tokenOf(session: string, path: string): Promise<string> {
    const html = await (await app.request(path, { headers: { cookie: session } })).text();
    const token = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(html)?.[1];
    assert.ok(token, `no form token on ${path}`);
    return token;
  }
  const post = (path: string, fields: [string, string][], headers: Record<string, string> = {}, session = cookie) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie: session, ...headers } });
  const get = (path: string, session = cookie) => app.request(path, { headers: { cookie: session } });
  const idOf = (res: Response) => /^\/admin\/incidents\/(inc_[0-9a-f]{16})\?/.exec(res.headers.get('location') ?? '')?.[1] ?? assert.fail(`no incident in ${res.headers.get('location')}`);
  const stored = async (id: string): Promise<Incident> => (await store.getIncident(id)) ?? assert.fail(`incident ${id} is not stored`);

  it('sends signed-out visitors to the sign-in page and back, and changes nothing for them', async () => {
    for (const path of ['/admin', '/admin/incidents/new', '/admin/maintenance/new', '/admin/incidents/cfg-1']) {
      const res = await app.request(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/admin/login?next=${encodeURIComponent(path)}`);
    }
    const before = (await store.listIncidents()).length;
    const res = await app.request('/admin/incidents', { method: 'POST', body: new URLSearchParams({ csrf, title: 'X', body: 'Y' }) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/login?next=%2Fadmin%2Fincidents%2Fnew');
    const forged = await app.request('/admin/incidents', { method: 'POST', body: new URLSearchParams({ csrf, title: 'X', body: 'Y' }), headers: { cookie: 'upstate_admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    assert.equal(forged.status, 303);
    assert.equal((await store.listIncidents()).length, before);
  });

  it('shows the dashboard, no-store and not indexed, with every configured check on the form', async () => {
    const res = await get('/admin');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.match(html, /<meta name="robots" content="noindex">/);
    assert.match(html, /Signed in as <strong>ops<\/strong>/);
    assert.match(html, /href="\/admin\/incidents\/cfg-1">Declared in config/);
    const form = await (await get('/admin/incidents/new')).text();
    for (const check of CHECKS) assert.ok(form.includes(`<input type="checkbox" name="checks" value="${check.name}">`), check.name);
  });

  it('refuses a POST without the form token, with a wrong one or another session’s, with 403 and no change', async () => {
    await store.saveIncident({
      id: 'api-1', kind: 'incident', title: 'Editable', status: 'investigating', impact: 'minor', checks: [], createdAt: NOW, updatedAt: NOW, source: 'api',
      updates: [{ id: 'a1', status: 'investigating', body: 'Open.', at: NOW }],
    });
    const before = JSON.stringify(await store.listIncidents());
    const other = await tokenOf(await signIn(), '/admin/incidents/new');
    assert.notEqual(other, csrf, 'each session has its own token');
    const fields: [string, string][] = [['title', 'Forged'], ['body', 'Forged'], ['checks', 'API']];
    const tries = [
      await post('/admin/incidents', fields),
      await post('/admin/incidents', [['csrf', 'x'.repeat(csrf.length)], ...fields]),
      await post('/admin/incidents', [['csrf', other], ...fields]),
      await post('/admin/incidents/api-1/resolve', [['csrf', '']]),
    ];
    assert.deepEqual(tries.map((r) => r.status), [403, 403, 403, 403]);
    assert.match(await tries[0]!.text(), /not sent from a page of this site/);
    assert.equal(JSON.stringify(await store.listIncidents()), before);
    await store.deleteIncident('api-1');
  });

  it('refuses a POST the browser marks as cross-site even with the right token', async () => {
    const fields: [string, string][] = [['csrf', csrf], ['title', 'Cross-site'], ['body', 'Cross-site']];
    const statuses = [
      (await post('/admin/incidents', fields, { 'sec-fetch-site': 'cross-site' })).status,
      (await post('/admin/incidents', fields, { 'sec-fetch-site': 'same-site' })).status,
      (await post('/admin/incidents', fields, { origin: 'https://evil.example' })).status,
      (await post('/admin/incidents', fields, { origin: 'null' })).status,
    ];
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    assert.ok(!(await store.listIncidents()).some((i) => i.title === 'Cross-site'));
    // the same site's own headers pass (the Host is what the browser addressed)
    const same = await post('/admin/incidents', fields, { 'sec-fetch-site': 'same-origin', origin: 'http://localhost', host: 'localhost' });
    assert.equal(same.status, 303);
    await store.deleteIncident(idOf(same));
  });

  it('accepts the Origin of page.publicUrl when a proxy passes its upstream name as Host', async () => {
    const proxied = createApp({ config: testConfig(CHECKS, { page: { title: 'Acme', publicUrl: 'https://status.acme.example' }, admin: { tokens: [{ name: 'ops', token: ADMIN }] } }), store, now: () => now });
    const login = await proxied.request('/admin/login', { method: 'POST', body: new URLSearchParams({ token: ADMIN }) });
    const session = `upstate_admin=${/upstate_admin=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1]}`;
    const token = /name="csrf" value="([^"]+)"/.exec(await (await proxied.request('/admin/incidents/new', { headers: { cookie: session } })).text())?.[1] ?? '';
    const send = (origin: string) =>
      proxied.request('/admin/incidents', {
        method: 'POST', body: new URLSearchParams({ csrf: token, title: 'Behind a proxy', body: 'x' }),
        headers: { cookie: session, host: 'upstate:8080', origin, 'sec-fetch-site': 'same-origin' },
      });
    assert.equal((await send('https://evil.example')).status, 403);
    const ok = await send('https://status.acme.example');
    assert.equal(ok.status, 303);
    await store.deleteIncident(idOf(ok));
  });

  it('opens an incident from the form exactly as the JSON API would', async () => {
    now = NOW + 1000;
    const res = await post('/admin/incidents', [['csrf', csrf], ['title', 'Elevated API errors'], ['status', 'investigating'], ['impact', 'major'], ['checks', 'API'], ['checks', 'Database'], ['body', 'We are looking into it.']]);
    assert.equal(res.status, 303);
    const incident = await stored(idOf(res));
    assert.deepEqual(
      { ...incident, updates: incident.updates.map((u) => ({ ...u, id: '' })) },
      {
        id: incident.id, kind: 'incident', title: 'Elevated API errors', status: 'investigating', impact: 'major', checks: ['API', 'Database'],
        createdAt: now, updatedAt: now, source: 'api', updates: [{ id: '', status: 'investigating', body: 'We are looking into it.', at: now }],
      },
    );
    const page = await (await get(res.headers.get('location')!)).text();
    assert.match(page, /role="status">Incident opened/);
    // and it is public at once: the page and the Statuspage API
    assert.match(await (await app.request('/')).text(), /Elevated API errors/);
    const v2 = (await (await app.request('/api/v2/incidents/unresolved.json')).json()) as { incidents: { id: string; impact: string }[] };
    assert.deepEqual(v2.incidents.find((i) => i.id === incident.id)?.impact, 'major');
  });

  it('shows each validation error next to its field and keeps what was typed', async () => {
    const res = await post('/admin/incidents', [['csrf', csrf], ['title', '  '], ['impact', 'apocalyptic'], ['checks', 'Nope'], ['body', 'Typed text stays']]);
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /<input type="text" id="f-title" name="title" value="" maxlength="300" required aria-describedby="title-hint title-err" aria-invalid="true">\n<p class="ferr" id="title-err">must not be empty<\/p>/);
    assert.match(html, /<select id="f-impact" name="impact" aria-describedby="impact-err" aria-invalid="true">/);
    assert.match(html, /<p class="ferr" id="impact-err">Invalid option/);
    assert.match(html, /<p class="ferr" id="checks-err">no check is named &quot;Nope&quot;<\/p>/);
    assert.match(html, /<a href="#f-title">Title<\/a>: must not be empty/);
    assert.match(html, />Typed text stays<\/textarea>/);
    const missing = await post('/admin/incidents', [['csrf', csrf], ['title', 'No message']]);
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /<p class="ferr" id="body-err">say what is happening/);
    assert.ok(!(await store.listIncidents()).some((i) => i.title === 'No message' || i.updates.some((u) => u.body === 'Typed text stays')));
  });

  it('updates an incident (new status and message), edits fields without a timeline entry, then resolves it', async () => {
    const id = idOf(await post('/admin/incidents', [['csrf', csrf], ['title', 'Slow sign-in'], ['body', 'Investigating.'], ['checks', 'Website']]));
    const edit = await (await get(`/admin/incidents/${id}`)).text();
    assert.match(edit, /<option value="investigating" selected>/);

    now = NOW + 60_000;
    const update = await post(`/admin/incidents/${id}`, [['csrf', csrf], ['status', 'identified'], ['body', 'A cache node is full.'], ['title', 'Slow sign-in'], ['impact', 'minor'], ['checks', 'Website']]);
    assert.equal(update.status, 303);
    assert.equal(update.headers.get('location'), `/admin/incidents/${id}?done=updated`);
    let incident = await stored(id);
    assert.equal(incident.status, 'identified');
    assert.deepEqual(incident.updates.map((u) => [u.status, u.body, u.at]), [['investigating', 'Investigating.', NOW + 1000], ['identified', 'A cache node is full.', now]]);

    const fieldsOnly = await post(`/admin/incidents/${id}`, [['csrf', csrf], ['status', 'identified'], ['body', ''], ['title', 'Slow sign-in'], ['impact', 'major'], ['checks', 'Website'], ['checks', 'API']]);
    assert.equal(fieldsOnly.status, 303);
    incident = await stored(id);
    assert.deepEqual([incident.impact, incident.checks, incident.updates.length], ['major', ['Website', 'API'], 2]);

    const nothing = await post(`/admin/incidents/${id}`, [['csrf', csrf], ['status', 'identified'], ['title', 'Slow sign-in'], ['impact', 'major'], ['checks', 'Website'], ['checks', 'API']]);
    assert.equal(nothing.status, 400);
    assert.match(await nothing.text(), /id="body-err">nothing changed/);

    now = NOW + 120_000;
    const resolve = await post(`/admin/incidents/${id}/resolve`, [['csrf', csrf], ['body', 'Fixed: the node was replaced.']]);
    assert.equal(resolve.status, 303);
    incident = await stored(id);
    assert.deepEqual([incident.status, incident.resolvedAt, incident.updates.at(-1)?.body], ['resolved', now, 'Fixed: the node was replaced.']);
    const unresolved = (await (await app.request('/api/v2/incidents/unresolved.json')).json()) as { incidents: { id: string }[] };
    assert.ok(!unresolved.incidents.some((i) => i.id === id));
    const dashboard = await (await get('/admin')).text();
    const open = dashboard.slice(dashboard.indexOf('id="h-open"'), dashboard.indexOf('id="h-mw"'));
    assert.ok(!open.includes(id), 'resolved incidents leave the open list');
    assert.ok(dashboard.slice(dashboard.indexOf('id="h-recent"')).includes(id));
    assert.doesNotMatch(await (await get(`/admin/incidents/${id}`)).text(), /Resolve incident<\/button>/);
  });

  it('schedules maintenance stored exactly like the API’s, edits its window, and cancels it only when confirmed', async () => {
    now = NOW + 200_000;
    const res = await post('/admin/maintenance', [['csrf', csrf], ['title', 'Database upgrade'], ['scheduledFor', '2026-03-20T22:00'], ['scheduledUntil', '2026-03-20T23:30'], ['status', 'scheduled'], ['checks', 'Database'], ['body', 'Writes pause briefly.']]);
    assert.equal(res.status, 303);
    const fromForm = await stored(idOf(res));
    const api = await app.request('/api/v1/incidents', {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'maintenance', title: 'Database upgrade', scheduledFor: '2026-03-20T22:00:00Z', scheduledUntil: '2026-03-20T23:30:00Z', status: 'scheduled', checks: ['Database'], body: 'Writes pause briefly.' }),
    });
    const fromApi = ((await api.json()) as { incident: Incident }).incident;
    const shape = (i: Incident) => ({ ...i, id: '', updates: i.updates.map((u) => ({ ...u, id: '' })) });
    assert.deepEqual(shape(fromForm), shape(fromApi), 'the same stored maintenance, so alerts are silenced the same way');
    assert.equal(fromForm.scheduledFor, Date.UTC(2026, 2, 20, 22, 0));
    // and the alert evaluator's reading of stored maintenance silences its check during the window only
    const silenced = createStoredMaintenance(store, 0);
    assert.deepEqual([...(await silenced(Date.UTC(2026, 2, 20, 21, 59)))], []);
    assert.deepEqual([...(await silenced(Date.UTC(2026, 2, 20, 22, 30)))], ['Database']);
    assert.deepEqual([...(await silenced(Date.UTC(2026, 2, 20, 23, 30)))], []);
    await store.deleteIncident(fromApi.id);

    const edit = await (await get(`/admin/incidents/${fromForm.id}`)).text();
    assert.match(edit, /id="f-scheduledFor" name="scheduledFor" value="2026-03-20T22:00"/);
    const bad = await post(`/admin/incidents/${fromForm.id}`, [['csrf', csrf], ['title', 'Database upgrade'], ['scheduledFor', '2026-03-21T01:00'], ['scheduledUntil', '2026-03-20T23:30'], ['status', 'scheduled'], ['checks', 'Database']]);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /id="scheduledUntil-err">must be after the start/);
    const badDate = await post(`/admin/incidents/${fromForm.id}`, [['csrf', csrf], ['title', 'Database upgrade'], ['scheduledFor', '2026-02-31T01:00'], ['scheduledUntil', '2026-03-20T23:30'], ['status', 'scheduled'], ['checks', 'Database']]);
    assert.match(await badDate.text(), /id="scheduledFor-err">enter a date and time/);
    const moved = await post(`/admin/incidents/${fromForm.id}`, [['csrf', csrf], ['title', 'Database upgrade'], ['scheduledFor', '2026-03-21T22:00'], ['scheduledUntil', '2026-03-21T23:00'], ['status', 'scheduled'], ['checks', 'Database'], ['checks', 'API']]);
    assert.equal(moved.status, 303);
    const after = await stored(fromForm.id);
    assert.deepEqual([after.scheduledFor, after.scheduledUntil, after.checks, after.updates.length], [Date.UTC(2026, 2, 21, 22), Date.UTC(2026, 2, 21, 23), ['Database', 'API'], 1]);
    assert.match(await (await get('/admin')).text(), new RegExp(`href="/admin/incidents/${fromForm.id}">Database upgrade`));

    const unconfirmed = await post(`/admin/incidents/${fromForm.id}/cancel`, [['csrf', csrf]]);
    assert.equal(unconfirmed.status, 400);
    assert.match(await unconfirmed.text(), /id="confirm-err">tick the box/);
    assert.ok(await store.getIncident(fromForm.id));
    const cancelled = await post(`/admin/incidents/${fromForm.id}/cancel`, [['csrf', csrf], ['confirm', 'yes']]);
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.headers.get('location'), '/admin?done=cancelled');
    assert.equal(await store.getIncident(fromForm.id), undefined);
  });

  it('renders valid HTML on every admin page, with and without errors', async () => {
    const mw = idOf(await post('/admin/maintenance', [['csrf', csrf], ['title', 'Valid window'], ['scheduledFor', '2026-04-01T10:00']]));
    const inc = idOf(await post('/admin/incidents', [['csrf', csrf], ['title', 'Valid incident'], ['body', 'Text']]));
    const pages: [string, Response][] = [
      ['dashboard', await get('/admin?done=created')],
      ['new incident', await get('/admin/incidents/new')],
      ['new maintenance', await get('/admin/maintenance/new')],
      ['incident', await get(`/admin/incidents/${inc}`)],
      ['maintenance', await get(`/admin/incidents/${mw}`)],
      ['config incident', await get('/admin/incidents/cfg-1')],
      ['new incident, errors', await post('/admin/incidents', [['csrf', csrf], ['title', ''], ['checks', 'Nope']])],
      ['new maintenance, errors', await post('/admin/maintenance', [['csrf', csrf], ['title', 'x'], ['scheduledFor', 'soon']])],
      ['incident, errors', await post(`/admin/incidents/${inc}`, [['csrf', csrf], ['title', ''], ['status', 'investigating']])],
      ['maintenance, errors', await post(`/admin/incidents/${mw}/cancel`, [['csrf', csrf]])],
      ['forbidden', await post('/admin/incidents', [['title', 'x']])],
    ];
    for (const [name, res] of pages) {
      const report = await validator.validateString(await res.text());
      assert.deepEqual(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`)), [], name);
    }
    await store.deleteIncident(mw);
    await store.deleteIncident(inc);
  });

  it('leaves incidents declared in the config file read-only', async () => {
    const page = await (await get('/admin/incidents/cfg-1')).text();
    assert.match(page, /declared in the config file/);
    assert.doesNotMatch(page, /<form method="post" action="\/admin\/incidents\/cfg-1/);
    // each form about one incident refuses it: update, resolve, cancel
    for (const path of ['', '/resolve', '/cancel']) {
      const res = await post(`/admin/incidents/cfg-1${path}`, [['csrf', csrf], ['status', 'resolved'], ['body', 'x'], ['confirm', 'yes']]);
      assert.equal(res.status, 400, path);
      assert.match(await res.text(), /declared in the config file; change it there/, path);
      assert.equal((await stored('cfg-1')).status, 'investigating', path);
    }
  });

  it('stops accepting the form token once the session ends', async () => {
    const session = await signIn();
    const token = await tokenOf(session, '/admin/maintenance/new');
    await app.request('/admin/logout', { method: 'POST', headers: { cookie: session } });
    const res = await post('/admin/incidents', [['csrf', token], ['title', 'After logout'], ['body', 'x']], {}, session);
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/admin\/login/);
    assert.ok(!(await store.listIncidents()).some((i) => i.title === 'After logout'));
  });

  it('adds and expires silences from the browser, as the API and CLI do, and refuses forged posts', async () => {
    const page = await get('/admin/silences');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /No silence is running/);
    const report = await validator.validateString(html);
    assert.ok(report.valid, JSON.stringify(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))));
    assert.equal((await post('/admin/silences', [['check', 'API'], ['for', '2h'], ['comment', 'forged']])).status, 403);

    const invalid = await post('/admin/silences', [['csrf', csrf], ['for', '2h'], ['comment', '']]);
    assert.equal(invalid.status, 400);
    const errors = await invalid.text();
    assert.match(errors, /set at least one of check, group, rule, severity/);
    assert.match(errors, /say why/);
    const unknown = await post('/admin/silences', [['csrf', csrf], ['group', 'Nope'], ['for', '2h'], ['comment', 'x']]);
    assert.equal(unknown.status, 400, 'a group the form does not offer is refused');

    const added = await post('/admin/silences', [['csrf', csrf], ['group', 'Core'], ['rule', 'latency'], ['for', '2h'], ['comment', 'deploy 42']]);
    assert.equal(added.status, 303);
    assert.equal(added.headers.get('location'), '/admin/silences?done=silenced');
    const [silence] = await store.listSilences({ activeAt: now });
    assert.deepEqual([silence?.matchers, silence?.endsAt, silence?.comment, silence?.createdBy], [{ group: 'Core', rule: 'latency' }, now + 2 * 3_600_000, 'deploy 42', 'ops']);
    assert.match(await (await get('/admin/silences?done=silenced')).text(), /group = Core, rule = latency/);

    const expired = await post(`/admin/silences/${silence!.id}/expire`, [['csrf', csrf]]);
    assert.equal(expired.status, 303);
    assert.deepEqual(await store.listSilences({ activeAt: now + 1 }), []);
  });
});
