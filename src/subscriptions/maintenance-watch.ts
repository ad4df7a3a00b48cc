/**
 * Maintenance that starts or ends by its schedule alone: a stored window whose time comes while
 * its status still says `scheduled`, or a window declared under `maintenance:` in the config.
 * Nobody saves anything then, so a periodic `tick` looks for windows that started or ended
 * within the last `lookbackMs` and announces them. The announcement is claimed in the store
 * (`claimNotice`), as is the one a status change through the admin API makes, so each window's
 * start and end is mailed once, whichever instance or path sees it first, and a restart does not
 * repeat it. The look-back keeps a first start from mailing about old windows.
 *
 * The watch belongs to the process, not to a page: under `pages:` every page app with subscribers
 * `join`s the one watch, which reads the incidents and the calendar once per tick and hands each
 * page what it sees (a narrowed page: its checks only).
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import type { IncidentsPort } from '../storage/ports/incidents-port.ts';
import type { MaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import { windowIncident } from '../maintenance/window-incident.ts';
import type { NoticeKind } from './subscription-notice.ts';

/** How often the watch runs in a long-lived server. */
export const MAINTENANCE_TICK_MS = 30_000;
/** Windows that started or ended longer ago than this are not announced. */
const LOOKBACK_MS = 15 * 60_000;
/** Most stored incidents read per tick. */
const LIST_LIMIT = 500;

/** Windows that started or ended by time within (now − lookback, now]. */
function scheduledTransitions(windows: readonly Incident[], now: number, lookbackMs = LOOKBACK_MS): { kind: NoticeKind; incident: Incident }[] {
  const recent = (at: number | undefined) => at !== undefined && at <= now && now - at < lookbackMs;
  const out: { kind: NoticeKind; incident: Incident }[] = [];
  for (const w of windows) {
    // only windows still `scheduled` run by time alone; a status set by an admin is announced on save
    if (w.kind !== 'maintenance' || w.status !== 'scheduled' || w.scheduledFor === undefined) continue;
    const end = w.scheduledUntil;
    if (recent(w.scheduledFor) && (end === undefined || now < end)) out.push({ kind: 'maintenance-started', incident: w });
    if (end !== undefined && recent(end)) out.push({ kind: 'maintenance-ended', incident: w });
  }
  return out;
}

/** Config windows overlapping the look-back, as `scheduled` maintenance with the page's ids. */
function configWindows(calendar: Pick<MaintenanceCalendar, 'upcoming'>, now: number): Incident[] {
  // a window over every check concerns the whole page
  return calendar.upcoming(now - LOOKBACK_MS, now + 1).map((w) => windowIncident(w, 'scheduled', w.allChecks ? [] : w.checks));
}

/** A page the watch tells: its subscribers' `announce`, and how it sees stored incidents. */
interface MaintenanceAudience {
  /** Claims and mails one notice. */
  announce: (kind: NoticeKind, incident: Incident) => Promise<void>;
  /** A stored incident as this page sees it, undefined when not about its checks (default: as stored). Config windows reach every page as they are. */
  scope?: (incident: Incident) => Incident | undefined;
}

/** The watch of one process: pages `join` it; `tick()` runs it once. */
export interface MaintenanceWatch {
  /** Adds a page; with a `schedule`, the first one starts the timer. */
  join(audience: MaintenanceAudience): void;
  /** Reads incidents and calendar once and announces to every page; a failing page does not stop the others. */
  tick(): Promise<void>;
}

/** The watch; with `schedule`, it ticks every `everyMs` from the first `join` until `signal` aborts. */
export function createMaintenanceWatch(deps: {
  store: Pick<IncidentsPort, 'listIncidents'>;
  calendar?: Pick<MaintenanceCalendar, 'upcoming'>;
  now: () => number;
  schedule?: { everyMs: number; signal?: AbortSignal; onError: (error: unknown) => void };
}): MaintenanceWatch {
  const audiences: MaintenanceAudience[] = [];
  const tick = async () => {
    if (!audiences.length) return;
    const now = deps.now();
    const stored = (await deps.store.listIncidents({ limit: LIST_LIMIT })).filter((i) => i.kind === 'maintenance');
    const configured = deps.calendar ? configWindows(deps.calendar, now) : [];
    const failures: unknown[] = [];
    for (const { announce, scope } of audiences) {
      const seen = scope ? stored.flatMap((i) => scope(i) ?? []) : stored;
      try {
        for (const { kind, incident } of scheduledTransitions([...seen, ...configured], now)) await announce(kind, incident);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw failures.length === 1 ? failures[0] : new AggregateError(failures, 'maintenance notices not sent');
  };
  const start = (schedule: NonNullable<typeof deps.schedule>) => {
    if (schedule.signal?.aborted) return;
    const timer = setInterval(() => tick().catch(schedule.onError), schedule.everyMs);
    timer.unref();
    schedule.signal?.addEventListener('abort', () => clearInterval(timer), { once: true });
  };
  return {
    join(audience) {
      audiences.push(audience);
      if (audiences.length === 1 && deps.schedule) start(deps.schedule);
    },
    tick,
  };
}
