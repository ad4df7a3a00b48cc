import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayRuns } from './uptime-runs.ts';
import { timeRange } from './view-format.ts';
import type { DailyBar } from '../status/status-model.ts';

const day = (date: string, uptime: number | null): DailyBar => ({ date, start: Date.parse(`${date}T00:00:00Z`), uptime, count: uptime === null ? 0 : 1440 });

describe('uptime bar runs', () => {
  it('merges consecutive days of the same look and keeps differing days apart', () => {
    const runs = dayRuns([
      day('2026-03-01', null),
      day('2026-03-02', null),
      day('2026-03-03', 100),
      day('2026-03-04', 100),
      day('2026-03-05', 100),
      day('2026-03-06', 99.5),
      day('2026-03-07', 99.2), // same colour as the day before, different value: its own cell
      day('2026-03-08', 99.2),
      day('2026-03-09', 100),
    ]);
    assert.deepEqual(runs, [
      { n: 2, level: 'n', title: 'Mar 1 – Mar 2: no data' },
      { n: 3, level: '0', title: 'Mar 3 – Mar 5: 100%' },
      { n: 1, level: '1', title: 'Mar 6: 99.50%' },
      { n: 2, level: '1', title: 'Mar 7 – Mar 8: 99.20%' },
      { n: 1, level: '0', title: 'Mar 9: 100%' },
    ]);
    assert.equal(runs.reduce((sum, r) => sum + r.n, 0), 9);
    assert.deepEqual(dayRuns([]), []);
  });

  it('formats maintenance windows compactly', () => {
    const at = (iso: string) => Date.parse(iso);
    assert.equal(timeRange(at('2026-02-01T22:00:30Z'), at('2026-02-01T23:00:00Z')), '2026-02-01 22:00 – 23:00 UTC');
    assert.equal(timeRange(at('2026-02-01T22:00:00Z'), at('2026-02-02T01:00:00Z')), '2026-02-01 22:00 – 2026-02-02 01:00 UTC');
    assert.equal(timeRange(at('2026-02-01T22:00:00Z'), undefined), '2026-02-01 22:00 UTC');
    assert.equal(timeRange(undefined, undefined), '—');
  });
});
