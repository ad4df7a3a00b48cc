/**
 * The 90-day bar as runs: consecutive days that look the same (same colour level and same
 * tooltip value) become one element spanning `n` day columns, drawn with the day gaps so it looks
 * like `n` cells. A mostly-healthy check is then a handful of elements instead of 90, which keeps
 * a 100-check page within 100 KB of HTML; a day that differs from its neighbours still gets its
 * own cell and tooltip.
 * @module
 */
import type { DailyBar } from '../status/status-model.ts';
import { percentText, shortDate, uptimeLevel } from './view-format.ts';

/** One element of the bar. */
export interface DayRun {
  /** Days covered (≥ 1). */
  n: number;
  /** Colour level: n (no data), 0 (100%) … 4 (below 90%), d (degraded), m (maintenance). */
  level: string;
  /** "Mar 1 – Mar 12: 100%", "Mar 3: 99.52%, 7 min down" or "Mar 4: 100%, 6 h degraded". */
  title: string;
}

/** "30 min", "6 h", "6 h 15 min". */
function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

function valueText(day: DailyBar): string {
  // most days have no minutes to name: no list to build
  if (!day.downMinutes && !day.degradedMinutes && !day.maintenanceMinutes) return day.uptime === null ? 'no data' : percentText(day.uptime);
  const parts = [day.uptime === null ? 'no data' : percentText(day.uptime)];
  if (day.downMinutes) parts.push(`${minutesText(day.downMinutes)} down`);
  if (day.degradedMinutes) parts.push(`${minutesText(day.degradedMinutes)} degraded`);
  if (day.maintenanceMinutes) parts.push(`${minutesText(day.maintenanceMinutes)} maintenance`);
  return parts.join(', ');
}

/**
 * The colour of a day: downtime first (its uptime band), then degraded time, then maintenance,
 * so a slow day or a maintenance day is never drawn as a plain healthy one.
 */
function dayLevel(day: DailyBar): string {
  if (day.uptime !== null && day.uptime < 100) return uptimeLevel(day.uptime);
  if (day.degradedMinutes) return 'd';
  if (day.maintenanceMinutes) return 'm';
  return uptimeLevel(day.uptime);
}

/** Words for a colour level, for coarse runs (a group's bar). */
const LEVEL_TEXT: Record<string, string> = {
  '0': '100%',
  '1': '99% or more',
  '2': '95% or more',
  '3': '90% or more',
  '4': 'below 90%',
  d: 'degraded time',
  m: 'maintenance',
  n: 'no data',
};

/**
 * Groups days (oldest first) into runs of identical appearance. `coarse` (a group's bar) merges
 * days by colour alone and names the colour band, so a group is a handful of elements too.
 */
export function dayRuns(daily: readonly DailyBar[], coarse = false): DayRun[] {
  const runs: DayRun[] = [];
  // each day's colour and words once (the run loop compares every day with its run's first)
  const levels = daily.map(dayLevel);
  const texts = coarse ? levels.map((level) => LEVEL_TEXT[level]) : daily.map(valueText);
  let i = 0;
  while (i < daily.length) {
    const first = daily[i];
    const level = levels[i];
    const value = texts[i];
    let j = i + 1;
    while (j < daily.length && levels[j] === level && texts[j] === value) j++;
    const last = daily[j - 1];
    const when = j - i === 1 ? shortDate(first.date) : `${shortDate(first.date)} – ${shortDate(last.date)}`;
    runs.push({ n: j - i, level, title: `${when}: ${value}` });
    i = j;
  }
  return runs;
}
