import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maintenanceConfigSchema } from './maintenance-config.ts';
import { createMaintenanceCalendar, type CalendarCheck } from './create-maintenance-calendar.ts';
import { liveHeapBytes as liveBytes } from '../../test/support/live-heap.ts';

const CHECKS = 20_000;
const checks: CalendarCheck[] = Array.from({ length: CHECKS }, (_, i) => ({ name: `check-${i}`, group: `group-${i % 100}` }));

/** Bytes per check the calendar retains for `raw` windows (after a full GC; bytes, never time). */
function bytesPerCheck(raw: unknown[]): { perCheck: number; calendar: ReturnType<typeof createMaintenanceCalendar> } {
  const windows = maintenanceConfigSchema.parse(raw) ?? [];
  const before = liveBytes();
  const calendar = createMaintenanceCalendar(windows, checks);
  const perCheck = (liveBytes() - before) / CHECKS;
  return { perCheck, calendar };
}

describe('maintenance calendar memory', () => {
  it('holds nothing per check when no window targets checks (was one array per check, ~78 B)', (t) => {
    const { perCheck, calendar } = bytesPerCheck([]);
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check without windows`);
    assert.ok(perCheck < 10, `${perCheck.toFixed(1)} bytes per check`);
    assert.equal(calendar.activeFor('check-1', 0), undefined);
  });

  it('a window over every check adds a shared list, not one per check', (t) => {
    const { perCheck, calendar } = bytesPerCheck([{ name: 'all', title: 'All', start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }]);
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check with one window over every check`);
    // the window's `checks` list for upcoming() is one pointer per check; no array per check
    assert.ok(perCheck < 20, `${perCheck.toFixed(1)} bytes per check`);
    assert.equal(calendar.activeFor('check-7', Date.parse('2026-01-01T12:00:00Z'))?.name, 'all');
  });

  it('a window over one group keys only that group\u2019s checks', (t) => {
    const { perCheck, calendar } = bytesPerCheck([
      { name: 'g', title: 'G', start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', groups: ['group-3'] },
    ]);
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check with one window over 1 group of 100`);
    assert.ok(perCheck < 10, `${perCheck.toFixed(1)} bytes per check`);
    const noon = Date.parse('2026-01-01T12:00:00Z');
    assert.equal(calendar.activeFor('check-3', noon)?.name, 'g');
    assert.equal(calendar.activeFor('check-4', noon), undefined);
  });
});
