import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident } from '../domain/incident.ts';
import { dayDetails } from './day-details.ts';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 2, 10);
const NOW = D0 + 3 * DAY + 12 * 3_600_000; // Mar 13, 12:00 UTC

const daily = [0, 1, 2, 3].map((d) => ({ date: new Date(D0 + d * DAY).toISOString().slice(0, 10), start: D0 + d * DAY, uptime: 100, count: 1440 }));
const incident = (id: string, extra: Partial<Incident>): Incident => ({
  id, kind: 'incident', title: id, status: 'resolved', impact: 'minor', checks: ['API'], createdAt: D0, updatedAt: D0, source: 'api', updates: [], ...extra,
});

describe('dayDetails', () => {
  it('lists each incident on every UTC day it touched, once, and only for its checks', () => {
    const days = dayDetails({ name: 'API', daily: [...daily] }, [
      // Mar 10 23:00 → Mar 11 01:00: two days
      incident('overnight', { createdAt: D0 + 23 * 3_600_000, resolvedAt: D0 + 25 * 3_600_000 }),
      // still open: from Mar 12 to now
      incident('open', { createdAt: D0 + 2 * DAY + 3_600_000, status: 'identified' }),
      // another check's incident
      incident('web', { checks: ['Web'], createdAt: D0 + 3_600_000, resolvedAt: D0 + 2 * 3_600_000 }),
      // maintenance scheduled for tomorrow: on no day yet
      incident('later', { kind: 'maintenance', impact: 'maintenance', status: 'scheduled', createdAt: D0, scheduledFor: NOW + DAY, scheduledUntil: NOW + DAY + 3_600_000 }),
      // the same incident again (the store's list and the model's)
      incident('overnight', { createdAt: D0 + 23 * 3_600_000, resolvedAt: D0 + 25 * 3_600_000 }),
    ], NOW);
    assert.deepEqual(days.map((d) => [d.date, d.incidents.map((i) => i.id)]), [
      ['2026-03-10', ['overnight']],
      ['2026-03-11', ['overnight']],
      ['2026-03-12', ['open']],
      ['2026-03-13', ['open']],
    ]);
    assert.deepEqual(Object.keys(days[0]).sort(), ['date', 'incidents', 'uptime'], 'minutes absent when zero, no start or count');
  });

  it('places maintenance at its scheduled window, not when it was announced', () => {
    const days = dayDetails({ name: 'API', daily: [...daily] }, [
      incident('mw', { kind: 'maintenance', impact: 'maintenance', status: 'completed', createdAt: D0, scheduledFor: D0 + 2 * DAY + 3_600_000, scheduledUntil: D0 + 2 * DAY + 7_200_000 }),
    ], NOW);
    assert.deepEqual(days.map((d) => d.incidents.length), [0, 0, 1, 0]);
  });
});
