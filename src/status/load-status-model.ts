/**
 * Reads what the status model needs — from the store: one `readStates`, one `readRollups` per
 * resolution for all checks, one `listIncidents`; from the live facts: their states and per-check
 * histories, and the store's incidents — and hands it to the pure builder. Configured maintenance
 * windows (from the maintenance calendar) join as maintenance entries.
 * @module
 */
import type { Store } from '../storage/store.ts';
import type { Incident } from '../domain/incident.ts';
import type { Check } from '../domain/check.ts';
import type { MaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import { windowIncident } from '../maintenance/window-incident.ts';
import { buildStatusModel, countComponentStatuses, modelReadWindows } from './build-status-model.ts';
import type { CheckStatus } from '../domain/status.ts';
import type { StatusModel } from './status-model.ts';
import type { CheckHistory } from './check-history.ts';

/** The live facts' read port: states and each check's history in memory, incidents from the store. */
export interface HistorySource extends Pick<Store, 'readStates' | 'listIncidents'> {
  /** The check's hour and day rollups, covering the model's windows at any `now` from the last result on. */
  history(check: string): CheckHistory | undefined;
}

/** Most incidents the page considers (active ones plus recent history). */
const INCIDENT_LIMIT = 50;
/** How far ahead configured maintenance windows are announced. */
const MAINTENANCE_HORIZON_MS = 7 * 86_400_000;

/**
 * Configured maintenance windows running now or starting within the horizon, as incidents, about
 * `checks` only (a page showing some of the checks announces only their windows).
 */
function calendarIncidents(calendar: Pick<MaintenanceCalendar, 'upcoming'>, now: number, checks: ReadonlySet<string>): Incident[] {
  return calendar
    .upcoming(now, now + MAINTENANCE_HORIZON_MS)
    .map((w) => ({ ...w, checks: w.checks.filter((c) => checks.has(c)) }))
    .filter((w) => w.checks.length > 0)
    .map((w) => windowIncident(w, w.start <= now ? 'in_progress' : 'scheduled', w.checks));
}

/** Rollups for the configured checks from the store, or the live facts' histories. */
async function readRollupInput(source: Pick<Store, 'readRollups'> | HistorySource, names: string[], now: number) {
  if ('history' in source) return { histories: (check: string) => source.history(check) };
  const windows = modelReadWindows(now);
  const [rollupsHourly, rollupsDaily] = await Promise.all([
    names.length ? source.readRollups(names, 'hour', ...windows.hour) : [],
    names.length ? source.readRollups(names, 'day', ...windows.day) : [],
  ]);
  return { rollupsHourly, rollupsDaily };
}

/** Loads stored (or live) facts for the configured checks and builds the status model at `now`. */
export async function loadStatusModel(
  source: Pick<Store, 'readStates' | 'readRollups' | 'listIncidents'> | HistorySource,
  config: { checks: Check[] },
  now: number,
  options: { calendar?: Pick<MaintenanceCalendar, 'activeFor' | 'upcoming'> } = {},
): Promise<StatusModel> {
  const names = config.checks.map((c) => c.name);
  const [states, rollups, stored] = await Promise.all([source.readStates(), readRollupInput(source, names, now), source.listIncidents({ limit: INCIDENT_LIMIT })]);
  const { calendar } = options;
  return buildStatusModel({
    checks: config.checks,
    states,
    ...rollups,
    incidents: calendar ? [...stored, ...calendarIncidents(calendar, now, new Set(names))] : stored,
    now,
    maintenanceActive: calendar ? (check) => calendar.activeFor(check, now) !== undefined : undefined,
  });
}

/** How many configured checks have each status at `now` (states, incidents and the calendar only). */
export async function loadStatusCounts(
  source: Pick<Store, 'readStates' | 'listIncidents'>,
  config: { checks: Check[] },
  now: number,
  options: { calendar?: Pick<MaintenanceCalendar, 'activeFor'> } = {},
): Promise<Record<CheckStatus, number>> {
  const [states, stored] = await Promise.all([source.readStates(), source.listIncidents({ limit: INCIDENT_LIMIT })]);
  const { calendar } = options;
  return countComponentStatuses({
    checks: config.checks,
    states,
    // a configured window counts only while it runs, which `activeFor` answers per check
    incidents: stored,
    now,
    maintenanceActive: calendar ? (check) => calendar.activeFor(check, now) !== undefined : undefined,
  });
}
