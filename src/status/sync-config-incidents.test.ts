import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { syncConfigIncidents } from './sync-config-incidents.ts';
import { incidentsConfigSchema } from './incidents-config.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore } from '../../test/support/http-fixture.ts';

const T0 = Date.UTC(2026, 2, 15, 12, 0, 0);

const declared = (entries: unknown[]) => ({ incidents: incidentsConfigSchema.parse(entries) });

describe('syncConfigIncidents on a real SQLite store', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
  });
  after(async () => cleanup());

  it('saves declared incidents, skips unchanged ones, deletes removed ones and keeps API incidents', async () => {
    await store.saveIncident({
      id: 'inc_api', kind: 'incident', title: 'From the API', status: 'investigating', impact: 'minor', checks: [], createdAt: T0, updatedAt: T0, source: 'api', updates: [],
    });
    const first = declared([
      { id: 'eu-latency', title: 'EU latency', at: '2026-03-10T09:00:00Z', updates: [{ at: '2026-03-10T09:00:00Z', status: 'investigating', body: 'Looking.' }] },
      { id: 'db', kind: 'maintenance', title: 'DB upgrade', from: '2026-04-01T22:00:00Z', until: '2026-04-01T23:00:00Z' },
    ]);
    assert.deepEqual(await syncConfigIncidents(store, first, T0), { saved: ['cfg-eu-latency', 'cfg-db'], deleted: [], unchanged: 0, at: T0 });
    assert.equal((await store.getIncident('cfg-eu-latency'))?.updates[0].body, 'Looking.');
    assert.deepEqual(await syncConfigIncidents(store, first, T0), { saved: [], deleted: [], unchanged: 2, at: T0 }, 'idempotent');

    const second = declared([{ id: 'eu-latency', title: 'EU latency (fixed)', at: '2026-03-10T09:00:00Z', resolvedAt: '2026-03-10T10:00:00Z' }]);
    assert.deepEqual(await syncConfigIncidents(store, second, T0 + 1), { saved: ['cfg-eu-latency'], deleted: ['cfg-db'], unchanged: 0, at: T0 + 1 });
    const ids = (await store.listIncidents()).map((i) => i.id).sort();
    assert.deepEqual(ids, ['cfg-eu-latency', 'inc_api']);
    assert.equal((await store.getIncident('cfg-eu-latency'))?.status, 'resolved');

    assert.deepEqual((await syncConfigIncidents(store, { incidents: undefined }, T0 + 2)).deleted, ['cfg-eu-latency']);
    assert.deepEqual((await store.listIncidents()).map((i) => i.id), ['inc_api']);
  });
});
