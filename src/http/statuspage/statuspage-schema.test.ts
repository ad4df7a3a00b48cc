import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { createApp } from '../create-app.ts';
import { createMaintenanceCalendar } from '../../maintenance/create-maintenance-calendar.ts';
import { maintenanceConfigSchema } from '../../maintenance/maintenance-config.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const schema = JSON.parse(readFileSync(new URL('../../../test/fixtures/statuspage/v2-schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema(schema);
const validator = (name: string) => ajv.getSchema(`statuspage-v2#/definitions/${name}`)!;

const DOCS: Record<string, string> = {
  'summary.json': 'summary',
  'status.json': 'statusDoc',
  'components.json': 'componentsDoc',
  'incidents.json': 'incidentsDoc',
  'incidents/unresolved.json': 'incidentsDoc',
  'scheduled-maintenances.json': 'maintenancesDoc',
  'scheduled-maintenances/upcoming.json': 'maintenancesDoc',
  'scheduled-maintenances/active.json': 'maintenancesDoc',
};

/**
 * Every v2 document against the published Statuspage shapes, with what real pages have: config
 * maintenance windows (names with spaces, one running now, one recurring), API incidents, and a
 * check that never ran.
 */
describe('Statuspage v2 documents against the Statuspage schema', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  const checks = [testCheck('Website'), testCheck('API', { group: 'Backend' }), testCheck('Database', { group: 'Backend' }), testCheck('Never ran', { group: 'Backend' })];
  const windows = maintenanceConfigSchema.parse([
    { name: 'Nightly patching', checks: ['API'], cron: '0 3 * * *', duration: '30m', timezone: 'UTC', description: 'Kernel updates' },
    { name: 'DB move / 2026', title: 'Database move', checks: ['Database'], start: '2026-03-15T12:00:00Z', end: '2026-03-15T14:00:00Z' },
  ]);
  const calendar = createMaintenanceCalendar(windows, checks);
  const app = (now = NOW) => createApp({ config: testConfig(checks, { page: { title: 'Example status', publicUrl: 'https://status.example.test' } }), store, now: () => now, maintenance: calendar });

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [result('Website', NOW - 3 * 86_400_000, 'up', 80), result('Website', NOW - 30_000, 'up', 80), result('API', NOW - 20_000, 'down', 10_000, { failure: { class: 'timeout', message: 'slow' } }), result('Database', NOW - 60_000, 'up', 5)]);
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: 'API errors', status: 'investigating', impact: 'major', checks: ['API'], createdAt: NOW - 30 * 60_000, updatedAt: NOW - 20 * 60_000, source: 'api',
      updates: [{ id: 'u-1', status: 'investigating', body: 'We are looking into it.', at: NOW - 20 * 60_000 }],
    });
  });
  after(async () => cleanup());

  it('serves every document in the published shapes', async () => {
    const failures: string[] = [];
    for (const [path, definition] of Object.entries(DOCS)) {
      const body = await (await app().request(`/api/v2/${path}`)).json();
      const validate = validator(definition);
      if (!validate(body)) failures.push(`${path}: ${ajv.errorsText(validate.errors)}`);
    }
    assert.deepEqual(failures, []);
  });

  it('gives maintenance windows URL-safe ids that are unique and survive restarts', async () => {
    const ids = async (now: number) => {
      const body = (await (await app(now).request('/api/v2/scheduled-maintenances.json')).json()) as { scheduled_maintenances: { id: string; shortlink: string }[] };
      return body.scheduled_maintenances.map((m) => m.id);
    };
    const first = await ids(NOW);
    assert.ok(first.length >= 3, String(first));
    for (const id of first) assert.match(id, /^[A-Za-z0-9_-]+$/);
    assert.equal(new Set(first).size, first.length);
    // a restarted instance (a new app, a little later) names the same windows the same way
    const later = await ids(NOW + 60_000);
    assert.deepEqual(later, first);
    const page = await (await app().request(`/incidents/${first[0]}`)).text();
    assert.match(page, /Database move|Nightly patching/);
  });

  it('gives every component and group valid created_at and updated_at that do not move with the clock', async () => {
    type Row = { name: string; created_at: string | null; updated_at: string | null };
    const rows = async (now: number) => ((await (await app(now).request('/api/v2/components.json')).json()) as { components: Row[] }).components;
    const a = await rows(NOW);
    const b = await rows(NOW + 7_000);
    for (const row of a) {
      assert.ok(row.created_at !== null && Number.isFinite(Date.parse(row.created_at)), `${row.name} created_at ${row.created_at}`);
      assert.ok(row.updated_at !== null && Number.isFinite(Date.parse(row.updated_at)), `${row.name} updated_at ${row.updated_at}`);
    }
    assert.deepEqual(b.map((r) => [r.name, r.created_at]), a.map((r) => [r.name, r.created_at]));
  });
});

describe('a page with zero checks', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
  });
  after(async () => cleanup());

  it('says the same in the banner, in /api/v1 and in v2', async () => {
    const app = createApp({ config: testConfig([]), store, now: () => NOW });
    const html = await (await app.request('/')).text();
    const banner = /<h1 id="overall">([^<]*)<\/h1>/.exec(html)?.[1];
    const v1 = (await (await app.request('/api/v1/status')).json()) as { overall: { status: string; indicator: string } };
    const v2 = (await (await app.request('/api/v2/status.json')).json()) as { status: { indicator: string; description: string } };
    assert.equal(v2.status.indicator, 'none');
    assert.equal(v1.overall.indicator, v2.status.indicator);
    assert.equal(v1.overall.status, 'operational');
    assert.equal(banner?.toLowerCase(), v2.status.description.toLowerCase());
    assert.match(html, /No checks are configured yet/);
    const validate = validator('summary');
    assert.ok(validate(await (await app.request('/api/v2/summary.json')).json()), ajv.errorsText(validate.errors));
  });
});
