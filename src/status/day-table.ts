/**
 * A check's 90-day bar as one typed array instead of 90 objects. Building the model fills one
 * table per check (no allocation per day); the group's combined bar is computed from the tables,
 * and a check's `DailyBar[]` is only made when something reads it: a large page shows the rows of
 * its open groups only, and the JSON status document leaves the series out unless asked.
 * @module
 */
import { RESOLUTION_MS } from '../domain/rollup.ts';
import { DAY as BUCKET, type BucketTable } from './check-history.ts';
import { percent, windowStart } from './rollup-stats.ts';
import type { DailyBar } from './status-model.ts';

const DAY = RESOLUTION_MS.day;
/**
 * Numbers per day: ok, count, down, degraded and maintenance minutes (-1 = absent), and the day's
 * share of a group's ok results (its rounded uptime × count / 100: computed with the table, which
 * a check keeps until it gets a result, not for every group bar).
 */
const STRIDE = 6;

/** The days of one check, oldest first. */
export interface DayTable {
  first: number;
  days: number;
  cells: Float64Array;
}

/** `YYYY-MM-DD` of a UTC day start. */
function utcDate(at: number): string {
  // a page renders the same 90 dates for every check: format each day once
  let text = utcDates.get(at);
  if (text === undefined) {
    text = new Date(at).toISOString().slice(0, 10);
    if (utcDates.size > 4096) utcDates.clear();
    utcDates.set(at, text);
  }
  return text;
}
const utcDates = new Map<number, string>();

/** The `days` UTC days ending today, from a check's day buckets; minutes = results × `minutesPerResult`. */
export function dayTable(buckets: BucketTable | undefined, now: number, days: number, minutesPerResult = 1): DayTable {
  const first = windowStart(now, 'day', days);
  const cells = new Float64Array(days * STRIDE);
  // day i of the table is slot `offset + i` of the buckets (both count whole UTC days)
  const offset = buckets ? (first - buckets.first) / DAY : 0;
  const held = buckets && Number.isInteger(offset) ? buckets.length : 0;
  const words = buckets ? buckets.words : undefined;
  const stride = buckets ? buckets.stride : 0;
  for (let i = 0; i < days; i++) {
    const slot = offset + i;
    const k = i * STRIDE;
    if (!words || slot < 0 || slot >= held) {
      cells[k + 1] = cells[k + 2] = cells[k + 3] = cells[k + 4] = -1;
      continue;
    }
    const at = slot * stride;
    const ok = words[at + BUCKET.ok];
    const count = words[at + BUCKET.count];
    const degraded = words[at + BUCKET.degraded];
    const maintenance = words[at + BUCKET.maintenance];
    cells[k] = ok;
    cells[k + 1] = count;
    cells[k + 2] = count > ok ? minutesOf(count - ok, minutesPerResult) : -1;
    cells[k + 3] = degraded ? minutesOf(degraded, minutesPerResult) : -1;
    cells[k + 4] = maintenance ? minutesOf(maintenance, minutesPerResult) : -1;
    cells[k + 5] = count === 0 ? 0 : ok >= count ? count : ((percent(ok, count) as number) * count) / 100;
  }
  return { first, days, cells };
}

/** Minutes `results` stand for: results × interval, never more than a day has. */
function minutesOf(results: number, minutesPerResult: number): number {
  return Math.min(1440, Math.round(results * minutesPerResult));
}

/** One bar per UTC day, oldest first (`count` 0 and `uptime` null on days without a rollup). */
export function barsOf(table: DayTable): DailyBar[] {
  const { first, days, cells } = table;
  const bars: DailyBar[] = [];
  for (let i = 0; i < days; i++) {
    const k = i * STRIDE;
    const start = first + i * DAY;
    const has = cells[k + 1] >= 0;
    const bar: DailyBar = { date: utcDate(start), start, uptime: has ? percent(cells[k], cells[k + 1]) : null, count: has ? cells[k + 1] : 0 };
    if (cells[k + 2] >= 0) bar.downMinutes = cells[k + 2];
    if (cells[k + 3] >= 0) bar.degradedMinutes = cells[k + 3];
    if (cells[k + 4] >= 0) bar.maintenanceMinutes = cells[k + 4];
    bars.push(bar);
  }
  return bars;
}

/**
 * One bar for a group: each day's uptime over all its checks' counted results, and the worst
 * check's minutes down, degraded and in maintenance (so one check's bad day still shows). Each
 * check's share is its day's rounded uptime × count, as the page shows that day.
 */
export function combinedBars(tables: readonly DayTable[]): DailyBar[] {
  const head = tables[0];
  if (!head) return [];
  const bars: DailyBar[] = [];
  for (let i = 0; i < head.days; i++) {
    const at = i * STRIDE;
    let ok = 0;
    let count = 0;
    let down = 0;
    let degraded = 0;
    let maintenance = 0;
    for (const { cells } of tables) {
      const c = cells[at + 1];
      if (c > 0) {
        count += c;
        ok += cells[at + 5];
      }
      if (cells[at + 2] > down) down = cells[at + 2];
      if (cells[at + 3] > degraded) degraded = cells[at + 3];
      if (cells[at + 4] > maintenance) maintenance = cells[at + 4];
    }
    const start = head.first + i * DAY;
    const bar: DailyBar = { date: utcDate(start), start, uptime: percent(Math.round(ok), count), count };
    if (down) bar.downMinutes = down;
    if (degraded) bar.degradedMinutes = degraded;
    if (maintenance) bar.maintenanceMinutes = maintenance;
    bars.push(bar);
  }
  return bars;
}
