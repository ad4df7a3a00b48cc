import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMaintenanceCalendar } from '../../maintenance/create-maintenance-calendar.ts';
import { loadMaintenanceCalendar } from './load-maintenance-calendar.ts';
import type { MaintenanceConfig } from '../../maintenance/maintenance-config.ts';

const checks = [{ name: 'api', group: 'core' }, { name: 'web' }];
const T0 = Date.UTC(2026, 0, 5, 12);

describe('loadMaintenanceCalendar (Lambda)', () => {
  it('without windows answers as createMaintenanceCalendar does', async () => {
    for (const windows of [undefined, []]) {
      const loaded = await loadMaintenanceCalendar(windows, checks);
      const built = createMaintenanceCalendar(windows, checks);
      for (const at of [0, T0, T0 + 86_400_000]) {
        for (const check of ['api', 'web', 'other']) {
          assert.deepEqual(loaded.activeFor(check, at), built.activeFor(check, at));
          assert.equal(loaded.inMaintenance(check, at), built.inMaintenance(check, at));
        }
        assert.deepEqual(loaded.upcoming(at, at + 7 * 86_400_000), built.upcoming(at, at + 7 * 86_400_000));
      }
    }
  });

  it('with windows loads the real calendar (a recurring window is open when its cron says)', async () => {
    const windows: MaintenanceConfig = [
      { kind: 'recurring', name: 'nightly', title: 'Nightly', cron: '0 2 * * *', timezone: 'UTC', durationMs: 3_600_000, groups: ['core'] },
    ];
    const calendar = await loadMaintenanceCalendar(windows, checks);
    const twoThirty = Date.UTC(2026, 0, 5, 2, 30);
    assert.equal(calendar.inMaintenance('api', twoThirty), true);
    assert.equal(calendar.inMaintenance('web', twoThirty), false);
    assert.equal(calendar.inMaintenance('api', T0), false);
    assert.deepEqual(calendar.activeFor('api', twoThirty), createMaintenanceCalendar(windows, checks).activeFor('api', twoThirty));
  });
});
