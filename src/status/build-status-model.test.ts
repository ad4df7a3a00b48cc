import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildStatusModel, countComponentStatuses } from './build-status-model.ts';
import { componentId } from './component-id.ts';
import { incidentsConfigSchema, incidentsFromConfig } from './incidents-config.ts';
import { rollupsOf } from '../domain/rollup.ts';
import type { CheckResult } from '../domain/result.ts';
import type { Incident } from '../domain/incident.ts';
import { result, statesAfter, testCheck } from '../../test/support/http-fixture.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 12:30 UTC, so "today" and "this hour" are partly elapsed. */
const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);

function modelOf(results: CheckResult[], checks = [testCheck('API'), testCheck('Web')], extra: { incidents?: Incident[]; maintenance?: Set<string> } = {}) {
  const rollups = rollupsOf(results);
  return buildStatusModel({
    checks,
    states: statesAfter(results),
    rollupsHourly: rollups.filter((r) => r.resolution === 'hour'),
    rollupsDaily: rollups.filter((r) => r.resolution === 'day'),
    incidents: extra.incidents ?? [],
    now: NOW,
    maintenanceActive: extra.maintenance,
  });
}

function incident(id: string, extra: Partial<Incident>): Incident {
  return { id, kind: 'incident', title: id, status: 'investigating', impact: 'minor', checks: [], createdAt: NOW - HOUR, updatedAt: NOW - HOUR, source: 'api', updates: [], ...extra };
}

describe('buildStatusModel', () => {
  it('derives stable 12-char hex ids from check names', () => {
    assert.match(componentId('API'), /^[0-9a-f]{12}$/);
    assert.notEqual(componentId('API'), componentId('api'));
    // SHA-1("API") begins d93d10ff0fbe: the id is the same in every process and every store.
    assert.equal(componentId('API'), 'd93d10ff0fbe');
  });

  it('reads like plain data where the series are made on first read (daily, latency)', () => {
    const results = [result('API', NOW - 2 * DAY, 'down', 900), result('API', NOW - 2 * DAY + 60_000, 'up', 80), result('API', NOW - 60_000, 'up', 70)];
    const api = modelOf(results).components[0];
    // the same arrays on every read, and in key order
    assert.equal(api.daily, api.daily);
    assert.equal(api.latency.hourly7d, api.latency.hourly7d);
    assert.deepEqual(Object.keys(api).slice(-3), ['daily', 'latency', 'incidentIds']);
    assert.deepEqual(Object.keys(api.latency), ['hourly24h', 'hourly7d', 'summary24h']);
    // spreads, structuredClone and JSON see the values
    const twoDaysAgo = api.daily.at(-3)!;
    assert.equal(twoDaysAgo.count, 2);
    assert.equal(twoDaysAgo.downMinutes, 1);
    assert.deepEqual({ ...api }.daily, api.daily);
    assert.deepEqual(structuredClone(api).daily.at(-3), twoDaysAgo);
    const json = JSON.parse(JSON.stringify(api));
    assert.equal(json.daily.length, 90);
    assert.equal(json.latency.hourly7d.length, 168);
    assert.deepEqual(json.latency.hourly24h, api.latency.hourly7d.slice(-24));
    assert.equal(json.latency.summary24h.count, 1);
  });

  it('shows unknown before the first result and an unknown overall status', () => {
    const model = modelOf([]);
    assert.deepEqual(model.components.map((c) => c.status), ['unknown', 'unknown']);
    assert.equal(model.overall.status, 'unknown');
    assert.equal(model.components[0].uptime['24h'], null);
    assert.equal(model.components[0].daily.length, 90);
    assert.ok(model.components[0].daily.every((d) => d.uptime === null && d.count === 0));
    assert.equal(model.updatedAt, undefined);
  });

  it('computes uptime windows from rollups: 24h and 7d from hours, 30d and 90d from days', () => {
    const results: CheckResult[] = [];
    // Last 24 h: 3 up, 1 down → 75 %.
    results.push(result('API', NOW - 60_000, 'up', 100), result('API', NOW - 2 * HOUR, 'up', 120), result('API', NOW - 5 * HOUR, 'degraded', 900));
    results.push(result('API', NOW - 10 * HOUR, 'down', 10_000, { failure: { class: 'timeout', message: 'no answer in 10s' } }));
    // 3 days ago: 4 down (counts in 7d, 30d, 90d only).
    for (let i = 0; i < 4; i++) results.push(result('API', NOW - 3 * DAY + i * 60_000, 'down', 50));
    // 40 days ago: 8 up (counts in 90d only).
    for (let i = 0; i < 8; i++) results.push(result('API', NOW - 40 * DAY + i * 60_000, 'up', 50));
    const model = modelOf(results);
    const api = model.components[0];
    assert.equal(api.uptime['24h'], 75);
    assert.equal(api.uptime['7d'], 37.5); // 3 of 8
    assert.equal(api.uptime['30d'], 37.5);
    assert.equal(api.uptime['90d'], 68.75); // 11 of 16
    assert.equal(api.status, 'up');
    assert.equal(api.lastCheckedAt, NOW - 60_000);
    assert.equal(api.lastLatencyMs, 100);
    const today = api.daily.at(-1)!;
    assert.equal(today.date, '2026-03-15');
    assert.equal(today.count, 4);
    const threeDaysAgo = api.daily.find((d) => d.date === '2026-03-12')!;
    assert.deepEqual([threeDaysAgo.uptime, threeDaysAgo.count], [0, 4]);
    assert.equal(api.daily[0].date, '2025-12-16');
  });

  it('never rounds a failing window up to 100 %', () => {
    const results: CheckResult[] = [];
    for (let i = 0; i < 20_000; i++) results.push(result('API', NOW - 20 * HOUR + i * 3000, 'up', 10));
    results.push(result('API', NOW - 21 * HOUR, 'down', 10));
    const api = modelOf(results).components[0];
    assert.equal(api.uptime['24h'], 99.99);
  });

  it('builds hourly latency series and 24h percentiles from histograms', () => {
    const results: CheckResult[] = [];
    for (let i = 0; i < 100; i++) results.push(result('API', NOW - 30 * 60_000 + i * 1000, 'up', i < 90 ? 40 : 2000));
    const api = modelOf(results).components[0];
    assert.equal(api.latency.hourly24h.length, 24);
    assert.equal(api.latency.hourly7d.length, 168);
    const current = api.latency.hourly24h.at(-1)!;
    assert.equal(current.start, Date.UTC(2026, 2, 15, 12));
    assert.equal(current.count, 100);
    assert.equal(current.avg, 236);
    assert.ok(current.p95! > 1500 && current.p95! <= 2000, `p95 ${current.p95}`);
    assert.equal(api.latency.hourly24h[0].avg, null);
    const s = api.latency.summary24h;
    assert.equal(s.count, 100);
    assert.ok(s.p50! >= 25 && s.p50! <= 50, `p50 ${s.p50}`);
    assert.ok(s.p99! > s.p95! || s.p99 === 2000);
    assert.equal(s.max, 2000);
  });

  it('groups components in config order and keeps ungrouped checks in their own section', () => {
    const checks = [testCheck('Site'), testCheck('DB', { group: 'Backend' }), testCheck('CDN', { group: 'Edge' }), testCheck('Queue', { group: 'Backend' }), testCheck('Docs')];
    const model = modelOf([result('DB', NOW - 1000, 'down', 5)], checks);
    assert.deepEqual(model.groups.map((g) => g.name), [null, 'Backend', 'Edge']);
    assert.deepEqual(model.groups.map((g) => g.components.map((c) => c.name)), [['Site', 'Docs'], ['DB', 'Queue'], ['CDN']]);
    assert.equal(model.groups[1].status, 'down');
    assert.equal(model.groups[2].status, 'unknown');
    assert.deepEqual(model.components.map((c) => c.name), ['Site', 'DB', 'CDN', 'Queue', 'Docs']);
  });

  it('derives the overall status and indicator', () => {
    const four = ['A', 'B', 'C', 'D'].map((n) => testCheck(n));
    const at = NOW - 1000;
    const overall = (statuses: CheckResult['status'][]) => modelOf(statuses.map((s, i) => result(four[i].name, at, s, 10)), four).overall;
    assert.deepEqual([overall(['up', 'up', 'up', 'up']).status, overall(['up', 'up', 'up', 'up']).indicator], ['operational', 'none']);
    assert.deepEqual([overall(['up', 'degraded', 'up', 'up']).status, overall(['up', 'degraded']).indicator], ['degraded', 'minor']);
    assert.deepEqual([overall(['up', 'down', 'up', 'up']).status, overall(['up', 'down', 'up', 'up']).indicator], ['partial_outage', 'major']);
    assert.deepEqual([overall(['down', 'down', 'down', 'up']).status, overall(['down', 'down', 'down']).indicator], ['major_outage', 'critical']);
    assert.equal(overall(['up', 'up', 'up', 'up']).description, 'All systems operational');
    assert.equal(overall(['up', 'up', 'up', 'up']).counts.up, 4);
  });

  it('puts checks in maintenance and lets incidents raise the indicator', () => {
    const at = NOW - 1000;
    const results = [result('API', at, 'down', 10), result('Web', at, 'up', 10)];
    const inMaint = modelOf(results, undefined, { maintenance: new Set(['API']) });
    assert.equal(inMaint.components[0].status, 'maintenance');
    assert.equal(inMaint.overall.status, 'maintenance');
    assert.equal(inMaint.overall.indicator, 'maintenance');

    const window = incident('mw', { kind: 'maintenance', status: 'scheduled', impact: 'maintenance', checks: ['Web'], scheduledFor: NOW - HOUR, scheduledUntil: NOW + HOUR });
    const upcoming = incident('later', { kind: 'maintenance', status: 'scheduled', impact: 'maintenance', scheduledFor: NOW + DAY });
    const major = incident('outage', { impact: 'critical', checks: ['Web'] });
    const resolved = incident('old', { status: 'resolved', resolvedAt: NOW - 2 * DAY });
    const ancient = incident('ancient', { status: 'resolved', resolvedAt: NOW - 30 * DAY });
    const model = modelOf([result('API', at, 'up', 10), result('Web', at, 'up', 10)], undefined, { incidents: [window, upcoming, major, resolved, ancient] });
    assert.equal(model.components[1].status, 'maintenance');
    assert.deepEqual(model.components[1].incidentIds.sort(), ['mw', 'outage']);
    assert.equal(model.overall.indicator, 'critical');
    assert.deepEqual(model.incidents.active.map((i) => i.id), ['outage']);
    assert.deepEqual(model.incidents.maintenanceActive.map((i) => i.id), ['mw']);
    assert.deepEqual(model.incidents.maintenanceUpcoming.map((i) => i.id), ['later']);
    assert.deepEqual(model.incidents.recent.map((i) => i.id), ['old']);
  });
});

describe('incidents config', () => {
  it('validates entries and maps them to domain incidents', () => {
    const parsed = incidentsConfigSchema.parse([
      { id: 'db-upgrade', kind: 'maintenance', title: 'Database upgrade', checks: ['API'], from: '2026-03-20T22:00:00Z', until: '2026-03-20T23:00:00Z' },
      { id: 'eu', title: 'EU latency', impact: 'major', updates: [{ at: '2026-03-15T09:00:00Z', status: 'investigating', body: 'Looking.' }, { at: '2026-03-15T10:00:00Z', status: 'resolved', body: 'Fixed.' }] },
    ]);
    const [maintenance, incidentEntry] = incidentsFromConfig(parsed);
    assert.equal(maintenance.id, 'cfg-db-upgrade');
    assert.equal(maintenance.status, 'scheduled');
    assert.equal(maintenance.scheduledFor, Date.UTC(2026, 2, 20, 22));
    assert.equal(incidentEntry.status, 'resolved');
    assert.equal(incidentEntry.resolvedAt, Date.UTC(2026, 2, 15, 10));
    assert.equal(incidentEntry.updates.length, 2);
    const bad = incidentsConfigSchema.safeParse([{ id: 'x', kind: 'maintenance', title: 't', status: 'investigating', from: 'soon' }]);
    assert.equal(bad.success, false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('0.from'), paths.join());
    const dup = incidentsConfigSchema.safeParse([{ id: 'a', title: 't', at: 0 }, { id: 'a', title: 'u', at: 0 }]);
    assert.equal(dup.success, false);
  });

  it('says a check is affected by a dependency that is down (dependsOn: a check or a group)', () => {
    const checks = [testCheck('DB', { group: 'Data' }), testCheck('Cache', { group: 'Data' }), testCheck('API', { dependsOn: ['Data'] }), testCheck('Web', { dependsOn: ['API'] })];
    const at = NOW - 60_000;
    const down = modelOf(
      [result('DB', at, 'down', 10), result('Cache', at, 'up', 1), result('API', at, 'down', 5), result('Web', at, 'up', 5)],
      checks,
    );
    const byName = new Map(down.components.map((c) => [c.name, c]));
    assert.deepEqual(byName.get('API')?.affectedBy, ['DB'], 'the group member that is down, not the healthy one');
    assert.deepEqual(byName.get('Web')?.affectedBy, ['API'], 'a check that is down is a dependency that is down');
    assert.equal(byName.get('DB')?.affectedBy, undefined);
    const healthy = modelOf([result('DB', at, 'up', 10), result('API', at, 'up', 5)], checks);
    assert.equal(healthy.components.find((c) => c.name === 'API')?.affectedBy, undefined);
  });

  it('counts statuses as the model’s components have them, without rollups (the /metrics path)', () => {
    const checks = ['API', 'Web', 'DB', 'Queue', 'Cache', 'New'].map((name) => testCheck(name));
    const results = [
      result('API', NOW - 60_000, 'down', 900),
      result('Web', NOW - 60_000, 'up', 80),
      result('DB', NOW - 60_000, 'degraded', 1800),
      result('Queue', NOW - 60_000, 'down', 10),
      result('Cache', NOW - 60_000, 'up', 5),
    ];
    const window = incident('mw', { kind: 'maintenance', status: 'in_progress', impact: 'maintenance', checks: ['Queue'], scheduledFor: NOW - HOUR, scheduledUntil: NOW + HOUR });
    const extra = { incidents: [window], maintenance: new Set(['Cache']) };
    const model = modelOf(results, checks, extra);
    const fromModel = { up: 0, degraded: 0, down: 0, unknown: 0, maintenance: 0 };
    for (const component of model.components) fromModel[component.status]++;
    const counted = countComponentStatuses({ checks, states: statesAfter(results), incidents: extra.incidents, now: NOW, maintenanceActive: extra.maintenance });
    assert.deepEqual(counted, fromModel);
    assert.deepEqual(counted, { up: 1, degraded: 1, down: 1, unknown: 1, maintenance: 2 });
  });
});
