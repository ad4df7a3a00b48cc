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
  /** Colour level: n (no data), 0 (100%) … 4 (below 90%). */
  level: string;
  /** "Mar 1 – Mar 12: 100%" or "Mar 3: 99.52%". */
  title: string;
}

function valueText(day: DailyBar): string {
  return day.uptime === null ? 'no data' : percentText(day.uptime);
}

/** Groups days (oldest first) into runs of identical appearance. */
export function dayRuns(daily: readonly DailyBar[]): DayRun[] {
  const runs: DayRun[] = [];
  let i = 0;
  while (i < daily.length) {
    const first = daily[i];
    const level = uptimeLevel(first.uptime);
    const value = valueText(first);
    let j = i + 1;
    while (j < daily.length && uptimeLevel(daily[j].uptime) === level && valueText(daily[j]) === value) j++;
    const last = daily[j - 1];
    const when = j - i === 1 ? shortDate(first.date) : `${shortDate(first.date)} – ${shortDate(last.date)}`;
    runs.push({ n: j - i, level, title: `${when}: ${value}` });
    i = j;
  }
  return runs;
}
