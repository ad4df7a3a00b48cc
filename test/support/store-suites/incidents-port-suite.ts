/**
 * Contract of the incidents port: incidents and maintenance windows saved whole, listed newest
 * first, filtered by update time, deleted by id.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident } from '../../../src/domain/incident.ts';
import type { IncidentsPort, LifecyclePort } from '../../../src/storage/store.ts';
import { DAY, HOUR, T0, useHarness, type OpenHarness } from './suite-kit.ts';

export function incidentsPortSuite(name: string, open: OpenHarness<LifecyclePort & IncidentsPort>): void {
  describe(`incidents port: ${name}`, () => {
    const h = useHarness(open);

    it('saves, lists and deletes incidents with their updates', async () => {
      const store = h.store();
      const incident: Incident = {
        id: 'inc-1',
        kind: 'incident',
        title: 'API errors',
        status: 'investigating',
        impact: 'major',
        checks: ['api'],
        createdAt: T0,
        updatedAt: T0,
        source: 'api',
        updates: [{ id: 'u1', status: 'investigating', body: 'Looking into it', at: T0 }],
      };
      const maintenance: Incident = {
        ...incident,
        id: 'mnt-1',
        kind: 'maintenance',
        title: 'DB upgrade',
        status: 'scheduled',
        impact: 'maintenance',
        createdAt: T0 + 1000,
        updatedAt: T0 + 1000,
        scheduledFor: T0 + DAY,
        scheduledUntil: T0 + DAY + HOUR,
        source: 'config',
        updates: [],
      };
      await store.saveIncident(incident);
      await store.saveIncident(maintenance);
      const resolved: Incident = {
        ...incident,
        status: 'resolved',
        resolvedAt: T0 + 2 * HOUR,
        updatedAt: T0 + 2 * HOUR,
        updates: [...incident.updates, { id: 'u2', status: 'resolved', body: 'Fixed', at: T0 + 2 * HOUR }],
      };
      await store.saveIncident(resolved);
      assert.deepEqual(await store.getIncident('inc-1'), resolved);
      assert.deepEqual((await store.listIncidents()).map((i) => i.id), ['mnt-1', 'inc-1']);
      assert.deepEqual((await store.listIncidents({ since: T0 + HOUR })).map((i) => i.id), ['inc-1']);
      assert.equal((await store.listIncidents({ limit: 1 })).length, 1);
      await store.deleteIncident('mnt-1');
      assert.equal(await store.getIncident('mnt-1'), undefined);
    });

  });
}
