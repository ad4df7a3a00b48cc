/**
 * The pure status-model builder: configured checks + stored states, rollups and incidents in,
 * `StatusModel` out. No I/O, no clock: `now` is an input, so every output is reproducible.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckState, CheckStatus } from '../domain/status.ts';
import type { Rollup } from '../domain/rollup.ts';
import type { Failure } from '../domain/result.ts';
import { RESOLUTION_MS } from '../domain/rollup.ts';
import type { Incident } from '../domain/incident.ts';
import { componentId } from './component-id.ts';
import { dependenciesOf } from '../domain/check-dependencies.ts';
import { latencySeries, latencySummary, nestedTotals, percent, windowStart } from './rollup-stats.ts';
import { barsOf, combinedBars, dayTable, type DayTable } from './day-table.ts';
import { countStatuses, overallStatus, worstStatus } from './overall-status.ts';
import { isMaintenanceActive, sortIncidents } from './incident-lists.ts';
import { publicFailure, publicReason, publicTarget } from './public-failure.ts';
import type { DailyBar, LatencyPoint, LatencySummary, RegionView, StatusComponent, StatusGroup, StatusModel } from './status-model.ts';

/** Days in the uptime bar and the longest uptime window. */
const DAILY_BAR_DAYS = 90;
/** Hours of hourly rollups the model needs (the 7-day latency series). */
const HOURLY_WINDOW_HOURS = 7 * 24;

export interface StatusModelInput {
  checks: readonly Check[];
  states: readonly CheckState[];
  /** Hourly rollups covering at least the last 7 days (see `modelReadWindows`). */
  rollupsHourly: readonly Rollup[];
  /** Daily rollups covering at least the last 90 days. */
  rollupsDaily: readonly Rollup[];
  incidents: readonly Incident[];
  now: number;
  /** Checks inside a maintenance window (from the maintenance scheduler), by name. */
  maintenanceActive?: ReadonlySet<string> | ((check: string) => boolean);
}

/** The `[from, to)` ranges of rollups the model reads, per resolution. */
export function modelReadWindows(now: number): { hour: [number, number]; day: [number, number] } {
  return {
    hour: [windowStart(now, 'hour', HOURLY_WINDOW_HOURS), windowStart(now, 'hour', 1) + RESOLUTION_MS.hour],
    day: [windowStart(now, 'day', DAILY_BAR_DAYS), windowStart(now, 'day', 1) + RESOLUTION_MS.day],
  };
}

function groupByCheck(rollups: readonly Rollup[]): Map<string, Rollup[]> {
  const map = new Map<string, Rollup[]>();
  // stores read check by check, so the previous row's list is nearly always the one
  let last: string | undefined;
  let list: Rollup[] | undefined;
  for (const r of rollups) {
    if (r.check !== last || !list) {
      last = r.check;
      list = map.get(r.check);
      if (!list) map.set(r.check, (list = []));
    }
    list.push(r);
  }
  return map;
}

/** Builds the status model. Checks keep config order; groups appear in order of first use. */
export function buildStatusModel(input: StatusModelInput): StatusModel {
  const { now } = input;
  const states = new Map(input.states.map((s) => [s.check, s]));
  const hourly = groupByCheck(input.rollupsHourly);
  const daily = groupByCheck(input.rollupsDaily);
  const incidents = sortIncidents(input.incidents, now);
  const inMaintenance = toPredicate(input.maintenanceActive);
  const maintenanceChecks = new Set(input.incidents.filter((i) => isMaintenanceActive(i, now)).flatMap((i) => i.checks));
  const openIncidents = [...incidents.active, ...incidents.maintenanceActive];

  const end = { hour: windowStart(now, 'hour', 1) + RESOLUTION_MS.hour, day: windowStart(now, 'day', 1) + RESOLUTION_MS.day };
  const from = { h24: windowStart(now, 'hour', 24), h168: windowStart(now, 'hour', HOURLY_WINDOW_HOURS), d30: windowStart(now, 'day', 30), d90: windowStart(now, 'day', DAILY_BAR_DAYS) };
  // one pass over the open incidents, not one per check
  const incidentIds = new Map<string, string[]>();
  for (const incident of openIncidents) {
    for (const name of new Set(incident.checks)) {
      const ids = incidentIds.get(name);
      if (ids) ids.push(incident.id);
      else incidentIds.set(name, [incident.id]);
    }
  }
  // each component's 90-day ok/count, summed again for its group's uptime
  const totals90d = new Map<StatusComponent, { ok: number; count: number }>();
  const tables = new Map<StatusComponent, DayTable>();
  const components: StatusComponent[] = input.checks.map((check) => {
    const state = states.get(check.name);
    const h = hourly.get(check.name) ?? [];
    const d = daily.get(check.name) ?? [];
    const last = state?.lastResult;
    let status: CheckStatus = state?.status ?? 'unknown';
    if (inMaintenance(check.name) || maintenanceChecks.has(check.name)) status = 'maintenance';
    // one pass per resolution: 7 d with 24 h inside it, 90 d with 30 d inside it
    const hours = nestedTotals(h, from.h168, from.h24, end.hour);
    const days = nestedTotals(d, from.d90, from.d30, end.day);
    // each region reports every interval, so one result stands for interval / regions of time
    const table = dayTable(d, now, DAILY_BAR_DAYS, check.intervalMs / 60_000 / Math.max(1, check.regions.length));
    let bars: DailyBar[] | undefined;
    const component: StatusComponent = {
      id: componentId(check.name),
      name: check.name,
      description: check.description,
      group: check.group,
      status,
      since: state?.since,
      lastCheckedAt: last?.at,
      lastLatencyMs: last?.latencyMs,
      lastStatusCode: last?.statusCode,
      // The model is public: a probe's message (URL, host, echoed headers) never enters it.
      lastFailure: last?.failure ? { ...publicFailure(last.failure, last.statusCode), at: last.at } as StatusComponent['lastFailure'] : undefined,
      uptime: {
        '24h': percent(hours.innerOk, hours.innerCount),
        '7d': percent(hours.ok, hours.count),
        '30d': percent(days.innerOk, days.innerCount),
        '90d': percent(days.ok, days.count),
      },
      // made when first read (a large page reads the rows of its open groups only); a getter of
      // the literal keeps it an own enumerable key of a fast object: JSON, spreads and deep
      // equality see a plain array, in the key order of the type
      get daily() {
        return (bars ??= barsOf(table));
      },
      set daily(value) {
        bars = value;
      },
      latency: lazyLatency(h, now, from.h24, end.hour),
      incidentIds: incidentIds.get(check.name)?.slice() ?? [],
    };
    tables.set(component, table);
    totals90d.set(component, days);
    if (check.showTarget) component.target = publicTarget(check.target);
    const regions = regionViews(check, state);
    if (regions) component.regions = regions;
    return component;
  });

  // a check whose dependency is down is affected by it (alerting mutes its pages meanwhile)
  const statusByName = new Map(components.map((c) => [c.name, c.status]));
  input.checks.forEach((check, i) => {
    if (!check.dependsOn) return;
    const down = dependenciesOf(check, input.checks).filter((name) => statusByName.get(name) === 'down');
    if (down.length) components[i].affectedBy = down;
  });

  const groups: StatusGroup[] = [];
  const byGroup = new Map<string | null, StatusGroup>();
  for (const component of components) {
    const key = component.group ?? null;
    let group = byGroup.get(key);
    if (!group) {
      group = { name: key, id: key === null ? 'ungrouped' : componentId(`group:${key}`), status: 'unknown', counts: countStatuses([]), components: [], daily: [], uptime90d: null };
      byGroup.set(key, group);
      groups.push(group);
    }
    group.components.push(component);
  }
  for (const group of groups) {
    const statuses = group.components.map((c) => c.status);
    group.status = worstStatus(statuses);
    group.counts = countStatuses(statuses);
    group.daily = combinedBars(group.components.map((c) => tables.get(c) as DayTable));
    let ok = 0;
    let count = 0;
    for (const c of group.components) {
      const t = totals90d.get(c);
      ok += t?.ok ?? 0;
      count += t?.count ?? 0;
    }
    group.uptime90d = percent(ok, count);
  }

  const checkedTimes = components.map((c) => c.lastCheckedAt).filter((t): t is number => t !== undefined);
  return {
    generatedAt: now,
    updatedAt: checkedTimes.length ? Math.max(...checkedTimes) : undefined,
    overall: overallStatus(
      components.map((c) => c.status),
      incidents.active,
    ),
    groups,
    components,
    incidents,
  };
}

/**
 * Per-region views of a multi-region check, configured regions first. Failures carry the
 * class-level reason only, unless `detail` (an admin's page) asks for the probe's message.
 */
export function regionViews(check: Pick<Check, 'regions'>, state: CheckState | undefined, detail = false): RegionView[] | undefined {
  const reported = state?.regions;
  if (!reported || (check.regions.length <= 1 && Object.keys(reported).length <= 1)) return undefined;
  const order = [...check.regions, ...Object.keys(reported).filter((r) => !check.regions.includes(r)).sort()];
  const views: RegionView[] = [];
  for (const region of order) {
    const r = reported[region];
    if (!r) continue;
    const view: RegionView = { region, status: r.status, at: r.at };
    if (r.latencyMs !== undefined) view.latencyMs = r.latencyMs;
    if (r.failure) view.failure = { class: r.failure.class, message: detail ? r.failure.message : publicReason(r.failure as Failure) };
    views.push(view);
  }
  return views.length ? views : undefined;
}

/**
 * A component's latency, computed when first read and then kept: the status page shows none of
 * it, the JSON status document only `summary24h` (the hourly series on request), and the 168
 * hourly points of 2,000 checks were most of a model build. Accessors of an object literal: own
 * enumerable keys of a fast object, so `JSON.stringify`, spreads and deep equality see plain values.
 */
function lazyLatency(h: readonly Rollup[], now: number, from24h: number, endHour: number): StatusComponent['latency'] {
  let week: LatencyPoint[] | undefined;
  let day: LatencyPoint[] | undefined;
  let summary: LatencySummary | undefined;
  return {
    // the 24-hour series is the tail of the 7-day one: sliced when that exists, else computed alone
    get hourly24h() {
      return (day ??= week ? week.slice(-24) : latencySeries(h, now, 24));
    },
    set hourly24h(value) {
      day = value;
    },
    get hourly7d() {
      return (week ??= latencySeries(h, now, HOURLY_WINDOW_HOURS));
    },
    set hourly7d(value) {
      week = value;
    },
    get summary24h() {
      return (summary ??= latencySummary(h, from24h, endHour));
    },
    set summary24h(value) {
      summary = value;
    },
  };
}

function toPredicate(active: StatusModelInput['maintenanceActive']): (check: string) => boolean {
  if (!active) return () => false;
  if (typeof active === 'function') return active;
  return (check) => active.has(check);
}
