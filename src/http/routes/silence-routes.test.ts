import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../create-app.ts';
import type { Silence } from '../../domain/alert.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const ADMIN = 'admin-token-0123456789abcdef';
const HOUR = 3_600_000;

describe('silences API', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let now = NOW;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    const config = testConfig([testCheck('API', { group: 'Backend' }), testCheck('Website')], { admin: { tokens: [{ name: 'ops', token: ADMIN }] } });
    app = createApp({ config, store, now: () => now });
  });
  after(() => cleanup());

  const call = (method: string, path: string, body?: unknown, token = ADMIN) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  it('creates, lists and expires silences; stored, so every instance and a restart see them', async () => {
    assert.equal((await call('POST', '/api/v1/silences', { matchers: { check: 'API' }, for: '2h', comment: 'deploy' }, 'wrong')).status, 401);
    const created = await call('POST', '/api/v1/silences', { matchers: { check: 'API', rule: 'down' }, for: '2h', comment: 'deploy' });
    assert.equal(created.status, 201);
    const { silence } = (await created.json()) as { silence: Silence };
    assert.deepEqual([silence.matchers, silence.startsAt, silence.endsAt, silence.createdBy, silence.comment], [{ check: 'API', rule: 'down' }, NOW, NOW + 2 * HOUR, 'ops', 'deploy']);
    assert.deepEqual((await store.listSilences({ activeAt: NOW })).map((s) => s.id), [silence.id], 'in the store');

    const listed = (await (await call('GET', '/api/v1/silences')).json()) as { silences: Silence[] };
    assert.deepEqual(listed.silences.map((s) => s.id), [silence.id]);
    now = NOW + HOUR;
    const expired = await call('DELETE', `/api/v1/silences/${silence.id}`);
    assert.equal(expired.status, 200);
    assert.equal(((await expired.json()) as { silence: Silence }).silence.endsAt, NOW + HOUR);
    assert.deepEqual(((await (await call('GET', '/api/v1/silences')).json()) as { silences: Silence[] }).silences, []);
    assert.equal(((await (await call('GET', '/api/v1/silences?all=true')).json()) as { silences: Silence[] }).silences.length, 1);
    assert.equal((await call('DELETE', '/api/v1/silences/sil_nope')).status, 404);
  });

  it('acknowledges a firing alert (bearer), refusing unknown and resolved ones', async () => {
    const record = { key: 'down:API', rule: 'down', check: 'API', state: 'ALARM' as const, since: NOW, evaluations: [true], version: 1 };
    await store.applyAlertTransition({ record, fromVersion: 0, notifications: [] });
    assert.equal((await call('POST', '/api/v1/alerts/down%3AAPI/ack', undefined, 'wrong')).status, 401);
    const acked = await call('POST', '/api/v1/alerts/down%3AAPI/ack');
    assert.equal(acked.status, 200);
    assert.deepEqual(((await acked.json()) as { alert: { ackedBy: string; ackedAt: number } }).alert.ackedBy, 'ops');
    assert.equal((await store.readAlerts()).find((r) => r.key === 'down:API')?.ackedBy, 'ops', 'stored');
    assert.equal((await call('POST', '/api/v1/alerts/down%3ANope/ack')).status, 404);
    await store.applyAlertTransition({ record: { ...record, key: 'down:Website', check: 'Website', state: 'OK' }, fromVersion: 0, notifications: [] });
    assert.equal((await call('POST', '/api/v1/alerts/down%3AWebsite/ack')).status, 409);
  });

  it('refuses silences that could never match or never end', async () => {
    const refused = async (body: unknown, pattern: RegExp) => {
      const res = await call('POST', '/api/v1/silences', body);
      assert.equal(res.status, 400);
      assert.match(JSON.stringify(await res.json()), pattern);
    };
    await refused({ matchers: {}, for: '2h', comment: 'x' }, /at least one of check, group, rule, severity/);
    await refused({ matchers: { check: 'Nope' }, for: '2h', comment: 'x' }, /no check is named/);
    await refused({ matchers: { group: 'Frontend' }, for: '2h', comment: 'x' }, /no group is named/);
    await refused({ matchers: { rule: 'down' }, comment: 'x' }, /either for/);
    await refused({ matchers: { rule: 'down' }, for: '2h' }, /comment/);
    await refused({ matchers: { severity: 'loud' }, for: '2h', comment: 'x' }, /severity/);
    assert.equal((await call('POST', '/api/v1/silences', { matchers: { group: 'Backend', severity: 'critical' }, for: '30m', comment: 'ok' })).status, 201);
  });
});
