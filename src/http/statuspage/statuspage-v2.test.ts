import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createApp } from '../create-app.ts';
import { componentId } from '../../status/component-id.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/statuspage/summary.json', import.meta.url), 'utf8'));

/** Key set and JSON type of every object reachable from `value`, by path (null matches any type). */
function shapeOf(value: unknown, path = '$', out = new Map<string, Map<string, string>>()): Map<string, Map<string, string>> {
  if (Array.isArray(value)) {
    for (const item of value) {
      const kind = item && typeof item === 'object' && 'group' in item ? ((item as { group: boolean }).group ? '<group>' : '<component>') : '';
      shapeOf(item, `${path}[]${kind}`, out);
    }
  } else if (value && typeof value === 'object') {
    const keys = out.get(path) ?? new Map<string, string>();
    for (const [k, v] of Object.entries(value)) {
      const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      if (!keys.has(k) || keys.get(k) === 'null') keys.set(k, type);
      shapeOf(v, `${path}.${k}`, out);
    }
    out.set(path, keys);
  }
  return out;
}

function assertSameShape(actual: unknown, expected: unknown) {
  const a = shapeOf(actual);
  const e = shapeOf(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), 'same object paths');
  for (const [path, keys] of e) {
    const mine = a.get(path)!;
    assert.deepEqual([...mine.keys()].sort(), [...keys.keys()].sort(), `keys at ${path}`);
    for (const [k, type] of keys) {
      const got = mine.get(k);
      if (type !== 'null' && got !== 'null') assert.equal(got, type, `type of ${path}.${k}`);
    }
  }
}

describe('Statuspage v2 compatible API', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  const checks = [testCheck('Website', { description: 'Marketing site' }), testCheck('API', { group: 'Backend', description: 'Public REST API' }), testCheck('Database', { group: 'Backend' })];
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [result('Website', NOW - 30_000, 'up', 80), result('API', NOW - 20_000, 'down', 10_000, { failure: { class: 'timeout', message: 'slow' } })]);
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: 'API errors', status: 'investigating', impact: 'major', checks: ['API'], createdAt: NOW - 30 * 60_000, updatedAt: NOW - 20 * 60_000, source: 'api',
      updates: [{ id: 'u-1', status: 'investigating', body: 'We are looking into it.', at: NOW - 20 * 60_000 }],
    });
    await store.saveIncident({
      id: 'mw-1', kind: 'maintenance', title: 'Database upgrade', status: 'scheduled', impact: 'maintenance', checks: ['Database'], createdAt: NOW - 3 * 3_600_000, updatedAt: NOW - 3 * 3_600_000,
      scheduledFor: NOW + 34 * 3_600_000, scheduledUntil: NOW + 35 * 3_600_000, source: 'api', updates: [{ id: 'mw-1-1', status: 'scheduled', body: 'Short read-only window.', at: NOW - 3 * 3_600_000 }],
    });
  });
  after(async () => cleanup());

  const app = () => createApp({ config: testConfig(checks, { page: { title: 'Example status', publicUrl: 'https://status.example.test' } }), store, now: () => NOW });

  it('serves summary.json with exactly the fields of a real Statuspage summary', async () => {
    const res = await app().request('/api/v2/summary.json', { headers: { Origin: 'https://widget.example' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const summary = (await res.json()) as typeof fixture;
    assertSameShape(summary, fixture);
    assert.deepEqual(summary.status, { indicator: 'major', description: 'Partial System Outage' });
    assert.equal(summary.page.url, 'https://status.example.test');
    type Row = { id: string; name: string; status: string; position: number; group: boolean; group_id: string | null; components?: string[] };
    const rows = summary.components as Row[];
    assert.deepEqual(rows.map((c) => [c.name, c.position, c.status]), [
      ['Website', 1, 'operational'],
      ['API', 1, 'major_outage'],
      ['Backend', 2, 'partial_outage'],
      ['Database', 2, 'operational'],
    ]);
    const group = rows.find((c) => c.group)!;
    assert.deepEqual(group.components, [componentId('API'), componentId('Database')]);
    assert.equal(rows.find((c) => c.name === 'API')!.group_id, group.id);
    assert.deepEqual(summary.incidents.map((i: { id: string }) => i.id), ['inc-1']);
    assert.equal(summary.incidents[0].incident_updates[0].affected_components[0].code, componentId('API'));
    assert.deepEqual(summary.scheduled_maintenances.map((i: { id: string; scheduled_for: string }) => [i.id, i.scheduled_for]), [['mw-1', new Date(NOW + 34 * 3_600_000).toISOString()]]);
  });

  it('serves status.json, components.json and the incident lists', async () => {
    const status = (await (await app().request('/api/v2/status.json')).json()) as { page: unknown; status: unknown };
    assert.deepEqual(Object.keys(status), ['page', 'status']);
    const components = (await (await app().request('/api/v2/components.json')).json()) as { components: unknown[] };
    assert.equal(components.components.length, 4);
    const unresolved = (await (await app().request('/api/v2/incidents/unresolved.json')).json()) as { incidents: { id: string }[] };
    assert.deepEqual(unresolved.incidents.map((i) => i.id), ['inc-1']);
    const upcoming = (await (await app().request('/api/v2/scheduled-maintenances/upcoming.json')).json()) as { scheduled_maintenances: unknown[] };
    assert.equal(upcoming.scheduled_maintenances.length, 1);
    const active = (await (await app().request('/api/v2/scheduled-maintenances/active.json')).json()) as { scheduled_maintenances: unknown[] };
    assert.equal(active.scheduled_maintenances.length, 0);
  });

  it('answers CORS preflights and still requires the auth header for data', async () => {
    const secured = createApp({ config: testConfig(checks, { auth: { header: 'X-Auth', secrets: ['secret-one'] } }), store, now: () => NOW });
    const preflight = await secured.request('/api/v2/summary.json', { method: 'OPTIONS', headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    const denied = await secured.request('/api/v2/summary.json');
    assert.equal(denied.status, 401);
    assert.doesNotMatch(await denied.text(), /API|Website/);
  });
});
