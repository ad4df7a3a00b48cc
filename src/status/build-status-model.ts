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
import { latencySeries, latencySummary, nestedTotals, percent, windowStart, type NestedTotals } from './rollup-stats.ts';
import { barsOf, combinedBars, dayTable, type DayTable } from './day-table.ts';
import { HISTORY_DAYS, HISTORY_HOURS, windowedHistories, type CheckHistory } from './check-history.ts';
import { countStatuses, overallStatus, worstStatus } from './overall-status.ts';
import { isMaintenanceActive, sortIncidents } from './incident-lists.ts';
import { publicFailure, publicReason, publicTarget } from './public-failure.ts';
import type { DailyBar, LatencyPoint, LatencySummary, RegionView, StatusComponent, StatusGroup, StatusModel } from './status-model.ts';

/** Days in the uptime bar and the longest uptime window. */
const DAILY_BAR_DAYS = HISTORY_DAYS;
/** Hours of hourly rollups the model needs (the 7-day latency series). */
const HOURLY_WINDOW_HOURS = HISTORY_HOURS;

/** The checks' rollups: as a store read returns them, or already in per-check histories (the live facts). */
type RollupInput =
  | {
      /** Hourly rollups covering at least the last 7 days (see `modelReadWindows`). */
      rollupsHourly: readonly Rollup[];
      /** Daily rollups covering at least the last 90 days. */
      rollupsDaily: readonly Rollup[];
      histories?: undefined;
    }
  | {
      /** Each check's hour and day buckets (at least the windows of `modelReadWindows`); what is derived from one is kept on it. */
      histories: (check: string) => CheckHistory | undefined;
    };

export type StatusModelInput = RollupInput & {
  checks: readonly Check[];
  states: readonly CheckState[];
  incidents: readonly Incident[];
  now: number;
  /** Checks inside a maintenance window (from the maintenance scheduler), by name. */
  maintenanceActive?: ReadonlySet<string> | ((check: string) => boolean);
};

/** The `[from, to)` ranges of rollups the model reads, per resolution. */
export function modelReadWindows(now: number): { hour: [number, number]; day: [number, number] } {
  return {
    hour: [windowStart(now, 'hour', HOURLY_WINDOW_HOURS), windowStart(now, 'hour', 1) + RESOLUTION_MS.hour],
    day: [windowStart(now, 'day', DAILY_BAR_DAYS), windowStart(now, 'day', 1) + RESOLUTION_MS.day],
  };
}

/** Builds the status model. Checks keep config order; groups appear in order of first use. */
export function buildStatusModel(input: StatusModelInput): StatusModel {
  const { now } = input;
  const states = new Map(input.states.map((s) => [s.check, s]));
  const historyOf = input.histories ?? storedHistories(input.rollupsHourly, input.rollupsDaily, now);
  const incidents = sortIncidents(input.incidents, now);
  const statusOf = componentStatuses(input);
  const openIncidents = [...incidents.active, ...incidents.maintenanceActive];

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
    const history = historyOf(check.name);
    const last = state?.lastResult;
    const status = statusOf(check.name, state);
    // each region reports every interval, so one result stands for interval / regions of time
    const derived = derivedOf(history, now, check.intervalMs / 60_000 / Math.max(1, check.regions.length));
    const { hours, days, table } = derived;
    let bars: DailyBar[] | undefined;
    const component: StatusComponent = {
      id: idOf(check),
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
        return (bars ??= derived.bars ??= Object.freeze(barsOf(table)) as DailyBar[]);
      },
      set daily(value) {
        bars = value;
      },
      latency: lazyLatency(derived),
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
 * What the model derives from one check's history at one time: kept on the history (the live
 * facts keep one per check) until a rollup is added to it or the windows move to a new hour, so a
 * render recomputes only the checks that got results. The 90-day bar and the latency series are
 * made when first read and then shared by every model built from the same `Derived` (frozen, so
 * no reader can change another model's copy).
 */
interface Derived {
  /** Start of the current hour and of the 90-day window, the minutes a result stands for: the key. */
  hour: number;
  day: number;
  minutesPerResult: number;
  hours: NestedTotals;
  days: NestedTotals;
  table: DayTable;
  bars?: DailyBar[];
  week?: LatencyPoint[];
  day24?: LatencyPoint[];
  summary?: LatencySummary;
  history: CheckHistory | undefined;
  now: number;
  from24h: number;
  endHour: number;
}

function derivedOf(history: CheckHistory | undefined, now: number, minutesPerResult: number): Derived {
  const hour = windowStart(now, 'hour', 1);
  const day = windowStart(now, 'day', DAILY_BAR_DAYS);
  const held = history?.derived as Derived | undefined;
  if (held && held.hour === hour && held.day === day && held.minutesPerResult === minutesPerResult) return held;
  const endHour = hour + RESOLUTION_MS.hour;
  const from24h = windowStart(now, 'hour', 24);
  const endDay = windowStart(now, 'day', 1) + RESOLUTION_MS.day;
  const derived: Derived = {
    hour,
    day,
    minutesPerResult,
    // one pass per resolution: 7 d with 24 h inside it, 90 d with 30 d inside it
    hours: nestedTotals(history?.hours, windowStart(now, 'hour', HOURLY_WINDOW_HOURS), from24h, endHour),
    days: nestedTotals(history?.days, day, windowStart(now, 'day', 30), endDay),
    table: dayTable(history?.days, now, DAILY_BAR_DAYS, minutesPerResult),
    history,
    now,
    from24h,
    endHour,
  };
  if (history) history.derived = derived;
  return derived;
}

/**
 * A component's status at `input.now`: its state's, unless a configured maintenance window
 * (`maintenanceActive`) or an active maintenance incident covers the check. The one rule the
 * model and `countComponentStatuses` share.
 */
function componentStatuses(input: Pick<StatusModelInput, 'incidents' | 'now' | 'maintenanceActive'>): (check: string, state: CheckState | undefined) => CheckStatus {
  const inMaintenance = toPredicate(input.maintenanceActive);
  const maintenanceChecks = new Set(input.incidents.filter((i) => isMaintenanceActive(i, input.now)).flatMap((i) => i.checks));
  return (check, state) => (inMaintenance(check) || maintenanceChecks.has(check) ? 'maintenance' : (state?.status ?? 'unknown'));
}

/**
 * How many of the configured checks have each status, as the model's components would: what
 * `/metrics` shows without per-check series. Reads states and incidents only — no rollups, no
 * uptime — so it costs microseconds per check where a model build at 100,000 checks took seconds
 * of a blocked event loop.
 */
export function countComponentStatuses(input: Omit<StatusModelInput, 'rollupsHourly' | 'rollupsDaily' | 'histories'>): Record<CheckStatus, number> {
  const states = new Map(input.states.map((s) => [s.check, s]));
  const statusOf = componentStatuses(input);
  return countStatuses(input.checks.map((check) => statusOf(check.name, states.get(check.name))));
}

/** Histories of rollups read from the store, one per check (checks without any: none). */
function storedHistories(hourly: readonly Rollup[], daily: readonly Rollup[], now: number): (check: string) => CheckHistory | undefined {
  const histories = windowedHistories([hourly, daily], modelReadWindows(now));
  return (check) => histories.get(check);
}

/**
 * A component's latency, computed when first read and then kept: the status page shows none of
 * it, the JSON status document only `summary24h` (the hourly series on request), and the 168
 * hourly points of 2,000 checks were most of a model build. Accessors of an object literal: own
 * enumerable keys of a fast object, so `JSON.stringify`, spreads and deep equality see plain values.
 */
function lazyLatency(d: Derived): StatusComponent['latency'] {
  let week: LatencyPoint[] | undefined;
  let day: LatencyPoint[] | undefined;
  let summary: LatencySummary | undefined;
  const hours = d.history?.hours;
  return {
    // the 24-hour series is the tail of the 7-day one: sliced when that exists, else computed alone
    get hourly24h() {
      return (day ??= d.day24 ??= Object.freeze(d.week ? d.week.slice(-24) : latencySeries(hours, d.now, 24)) as LatencyPoint[]);
    },
    set hourly24h(value) {
      day = value;
    },
    get hourly7d() {
      return (week ??= d.week ??= Object.freeze(latencySeries(hours, d.now, HOURLY_WINDOW_HOURS)) as LatencyPoint[]);
    },
    set hourly7d(value) {
      week = value;
    },
    get summary24h() {
      return (summary ??= d.summary ??= Object.freeze(latencySummary(hours, d.from24h, d.endHour)) as LatencySummary);
    },
    set summary24h(value) {
      summary = value;
    },
  };
}

/**
 * A check's component id (a SHA-1 of its name), made once per configured check: a model build
 * would otherwise hash every name again. Weak: a reloaded config's checks take theirs along.
 */
const checkIds = new WeakMap<Check, { name: string; id: string }>();
function idOf(check: Check): string {
  const held = checkIds.get(check);
  // keyed by the object, checked by the name: a renamed check never keeps the old id
  if (held?.name === check.name) return held.id;
  const id = componentId(check.name);
  checkIds.set(check, { name: check.name, id });
  return id;
}

function toPredicate(active: StatusModelInput['maintenanceActive']): (check: string) => boolean {
  if (!active) return () => false;
  if (typeof active === 'function') return active;
  return (check) => active.has(check);
}
