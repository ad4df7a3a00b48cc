/**
 * The maintenance calendar: which window (if any) covers a check at a moment, and what is
 * scheduled in a range. Built once per config; `activeFor` runs for every result, so targeting
 * is resolved per check up front and recurrences are cached (window-schedule.ts).
 * @module
 */
import type { MaintenanceConfig, MaintenanceWindow } from './maintenance-config.ts';
import { createWindowSchedule, type WindowSchedule } from './window-schedule.ts';

/** A window open for a check: the concrete occurrence, epoch ms (`end` exclusive). */
interface ActiveWindow {
  name: string;
  title: string;
  description?: string;
  start: number;
  end: number;
}

/** An occurrence in the schedule, with the checks it covers. */
interface ScheduledWindow extends ActiveWindow {
  /** True when the window targets every check (no `checks`/`groups`). */
  allChecks: boolean;
  /** Names of the covered checks among those the calendar was built with. */
  checks: string[];
}

export interface MaintenanceCalendar {
  /** The window covering `check` at `at` (the one ending last when several overlap). */
  activeFor(check: string, at: number): ActiveWindow | undefined;
  /** True when a window covers `check` at `at`: the predicate probes, alerts and the page silence by. */
  inMaintenance(check: string, at: number): boolean;
  /** Occurrences overlapping [from, until), by start time. Recurring windows give at most 500 each. */
  upcoming(from: number, until: number): ScheduledWindow[];
}

/** The part of a check the calendar needs. */
export interface CalendarCheck {
  name: string;
  group?: string;
}

const MAX_OCCURRENCES_PER_WINDOW = 500;

interface Entry {
  window: MaintenanceWindow;
  schedule: WindowSchedule;
  allChecks: boolean;
  checks: string[];
}

export function createMaintenanceCalendar(
  windows: MaintenanceConfig | undefined,
  checks: readonly CalendarCheck[],
): MaintenanceCalendar {
  const entries: Entry[] = (windows ?? []).map((window) => {
    const allChecks = !window.checks && !window.groups;
    const covered = checks.filter((check) => allChecks || covers(window, check)).map((check) => check.name);
    return { window, schedule: createWindowSchedule(window), allChecks, checks: covered };
  });
  const entriesFor = targetIndex(entries, checks);

  const calendar: MaintenanceCalendar = {
    inMaintenance: (check, at) => calendar.activeFor(check, at) !== undefined,
    activeFor(check, at) {
      let best: ActiveWindow | undefined;
      for (const { window, schedule } of entriesFor(check)) {
        const open = schedule.openAt(at);
        if (open && (!best || open.end > best.end)) best = describe(window, open.start, open.end);
      }
      return best;
    },
    upcoming(from, until) {
      const out: ScheduledWindow[] = [];
      for (const { window, schedule, allChecks, checks: covered } of entries) {
        for (const { start, end } of schedule.between(from, until, MAX_OCCURRENCES_PER_WINDOW)) {
          out.push({ ...describe(window, start, end), allChecks, checks: covered });
        }
      }
      return out.sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
    },
  };
  return calendar;
}

/**
 * Check name → the entries that may cover it. Only checks a window names or reaches through its
 * group get a key; every other check (and any name the calendar was not built with) shares the
 * one list of windows covering every check, and equal lists are one array. So a config without
 * targeted windows holds nothing per check (it held one array per check: ~78 bytes each at
 * 20,000 checks).
 */
function targetIndex(entries: readonly Entry[], checks: readonly CalendarCheck[]): (check: string) => readonly Entry[] {
  const general = entries.filter((entry) => entry.allChecks);
  const targeted = entries.filter((entry) => !entry.allChecks);
  if (!targeted.length) return () => general;
  const named = new Set(targeted.flatMap((entry) => entry.window.checks ?? []));
  const groups = new Set(targeted.flatMap((entry) => entry.window.groups ?? []));
  const byCheck = new Map<string, readonly Entry[]>();
  /** One array per distinct list of entries (by their positions). */
  const lists = new Map<string, readonly Entry[]>();
  const add = (check: CalendarCheck) => {
    if (byCheck.has(check.name)) return;
    const positions: number[] = [];
    entries.forEach((entry, index) => {
      if (entry.allChecks || covers(entry.window, check)) positions.push(index);
    });
    const key = positions.join(',');
    let list = lists.get(key);
    if (!list) lists.set(key, (list = positions.map((index) => entries[index])));
    byCheck.set(check.name, list);
  };
  for (const check of checks) if (named.has(check.name) || (check.group !== undefined && groups.has(check.group))) add(check);
  // a window may name a check this calendar was not built with: covered by name alone
  for (const name of named) add({ name });
  return (check) => byCheck.get(check) ?? general;
}

function covers(window: MaintenanceWindow, check: CalendarCheck): boolean {
  return Boolean(window.checks?.includes(check.name) || (check.group !== undefined && window.groups?.includes(check.group)));
}

function describe(window: MaintenanceWindow, start: number, end: number): ActiveWindow {
  const active: ActiveWindow = { name: window.name, title: window.title, start, end };
  if (window.description !== undefined) active.description = window.description;
  return active;
}

/**
 * Cross-section validation the schema cannot do alone: every check and group a window names
 * must exist. Paths are relative to the document root, like config issues.
 */
export function validateMaintenanceTargets(
  windows: MaintenanceConfig | undefined,
  checks: readonly CalendarCheck[],
): { path: PropertyKey[]; message: string }[] {
  const names = new Set(checks.map((check) => check.name));
  const groups = new Set(checks.flatMap((check) => (check.group === undefined ? [] : [check.group])));
  const issues: { path: PropertyKey[]; message: string }[] = [];
  (windows ?? []).forEach((window, index) => {
    window.checks?.forEach((name, i) => {
      if (!names.has(name)) issues.push({ path: ['maintenance', index, 'checks', i], message: `unknown check "${name}"` });
    });
    window.groups?.forEach((group, i) => {
      if (!groups.has(group)) issues.push({ path: ['maintenance', index, 'groups', i], message: `no check is in group "${group}"` });
    });
  });
  return issues;
}
