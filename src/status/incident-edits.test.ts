import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyIncidentPatch, createIncident } from './incident-edits.ts';
import { incidentHistory } from './incident-history.ts';
import type { Incident } from '../domain/incident.ts';

const T0 = Date.UTC(2026, 2, 15, 12, 0, 0);

function ids() {
  let n = 0;
  return () => `id${++n}`;
}

describe('incident edits', () => {
  it('creates an incident with defaults and its first timeline entry', () => {
    const incident = createIncident({ kind: 'incident', title: 'API errors', checks: ['API', 'API'], body: 'Looking into it.' }, T0, ids());
    assert.deepEqual(incident, {
      id: 'id1', kind: 'incident', title: 'API errors', status: 'investigating', impact: 'minor', checks: ['API'], createdAt: T0, updatedAt: T0,
      source: 'api', updates: [{ id: 'id2', status: 'investigating', body: 'Looking into it.', at: T0 }],
    });
    const maintenance = createIncident({ kind: 'maintenance', title: 'DB upgrade', checks: [], scheduledFor: T0 + 3_600_000, scheduledUntil: T0 + 7_200_000 }, T0, ids());
    assert.equal(maintenance.status, 'scheduled');
    assert.equal(maintenance.impact, 'maintenance');
    assert.deepEqual([maintenance.scheduledFor, maintenance.scheduledUntil, maintenance.updates.length], [T0 + 3_600_000, T0 + 7_200_000, 0]);
  });

  it('walks investigating → identified → monitoring → resolved, appending updates and setting resolvedAt', () => {
    const next = ids();
    let incident = createIncident({ kind: 'incident', title: 'API errors', checks: [], body: 'Investigating.' }, T0, next);
    incident = applyIncidentPatch(incident, { status: 'identified', body: 'Bad deploy.' }, T0 + 1000, next);
    incident = applyIncidentPatch(incident, { status: 'monitoring' }, T0 + 2000, next);
    incident = applyIncidentPatch(incident, { title: 'API errors after deploy', impact: 'major' }, T0 + 2500, next);
    assert.equal(incident.updates.length, 3, 'a pure edit adds no timeline entry');
    assert.equal(incident.resolvedAt, undefined);
    incident = applyIncidentPatch(incident, { status: 'resolved', body: 'Rolled back.' }, T0 + 3000, next);
    assert.deepEqual(incident.updates.map((u) => [u.status, u.body, u.at]), [
      ['investigating', 'Investigating.', T0],
      ['identified', 'Bad deploy.', T0 + 1000],
      ['monitoring', 'Status changed to monitoring.', T0 + 2000],
      ['resolved', 'Rolled back.', T0 + 3000],
    ]);
    assert.deepEqual([incident.title, incident.impact, incident.resolvedAt, incident.updatedAt], ['API errors after deploy', 'major', T0 + 3000, T0 + 3000]);
    const note = applyIncidentPatch(incident, { body: 'Postmortem to follow.' }, T0 + 4000, next);
    assert.equal(note.resolvedAt, T0 + 3000, 'a note on a resolved incident keeps its resolution time');
    const reopened = applyIncidentPatch(note, { status: 'investigating', body: 'It is back.' }, T0 + 5000, next);
    assert.equal(reopened.resolvedAt, undefined);
    assert.equal(incident.updates.length, 4, 'the input is not mutated');
  });

  it('groups history by month: incidents and completed maintenance, newest first', () => {
    const base = { impact: 'minor' as const, checks: [], source: 'api' as const, updates: [] };
    const list: Incident[] = [
      { ...base, id: 'a', kind: 'incident', title: 'A', status: 'resolved', createdAt: Date.UTC(2026, 0, 5), updatedAt: 0 },
      { ...base, id: 'b', kind: 'incident', title: 'B', status: 'investigating', createdAt: Date.UTC(2026, 2, 1), updatedAt: 0 },
      { ...base, id: 'c', kind: 'maintenance', title: 'C', status: 'completed', createdAt: Date.UTC(2025, 11, 1), scheduledFor: Date.UTC(2026, 0, 20), updatedAt: 0 },
      { ...base, id: 'd', kind: 'maintenance', title: 'D', status: 'scheduled', createdAt: Date.UTC(2026, 2, 1), scheduledFor: Date.UTC(2026, 3, 1), updatedAt: 0 },
    ];
    const months = incidentHistory(list, T0);
    assert.deepEqual(months.map((m) => [m.month, m.label, m.incidents.map((i) => i.id)]), [
      ['2026-03', 'March 2026', ['b']],
      ['2026-01', 'January 2026', ['c', 'a']],
    ]);
  });
});
