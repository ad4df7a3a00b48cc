/**
 * Reads what the status model needs from the store — one `readStates`, one `readRollups` per
 * resolution for all checks, one `listIncidents` — and hands it to the pure builder. Configured
 * maintenance windows (from the maintenance calendar) join as maintenance entries.
 * @module
 */
import type { Store } from '../storage/store.ts';
import type { Incident } from '../domain/incident.ts';
import type { Check } from '../domain/check.ts';
import type { MaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import { windowIncident } from '../maintenance/window-incident.ts';
import { buildStatusModel, modelReadWindows } from './build-status-model.ts';
import type { StatusModel } from './status-model.ts';

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

/** Loads stored facts for the configured checks and builds the status model at `now`. */
export async function loadStatusModel(
  store: Pick<Store, 'readStates' | 'readRollups' | 'listIncidents'>,
  config: { checks: Check[] },
  now: number,
  options: { calendar?: Pick<MaintenanceCalendar, 'activeFor' | 'upcoming'> } = {},
): Promise<StatusModel> {
  const names = config.checks.map((c) => c.name);
  const windows = modelReadWindows(now);
  const [states, rollupsHourly, rollupsDaily, stored] = await Promise.all([
    store.readStates(),
    names.length ? store.readRollups(names, 'hour', ...windows.hour) : [],
    names.length ? store.readRollups(names, 'day', ...windows.day) : [],
    store.listIncidents({ limit: INCIDENT_LIMIT }),
  ]);
  const { calendar } = options;
  return buildStatusModel({
    checks: config.checks,
    states,
    rollupsHourly,
    rollupsDaily,
    incidents: calendar ? [...stored, ...calendarIncidents(calendar, now, new Set(names))] : stored,
    now,
    maintenanceActive: calendar ? (check) => calendar.activeFor(check, now) !== undefined : undefined,
  });
}
