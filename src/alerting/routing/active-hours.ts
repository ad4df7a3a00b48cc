/**
 * Business hours for routes (`activeHours`): weekdays, a daily time window and an IANA time zone,
 * e.g. `{ days: [mon-fri], from: "09:00", to: "18:00", timeZone: Europe/Berlin }`. Wall-clock time
 * is read with Intl, so daylight saving time needs no table of our own. A window with `to` before
 * `from` runs overnight and belongs to the day it starts on (`fri 22:00–06:00` covers Saturday 05:00).
 * @module
 */

/** Weekday names, Sunday first (the schema parses `days:` with them). */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** One validated window: weekdays (0 = Sunday), minutes after local midnight, a time zone. */
export interface ActiveHours {
  days: ReadonlySet<number>;
  fromMinute: number;
  toMinute: number;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local weekday (0 = Sunday) and minute of the day of `at` in `timeZone`. */
function localTime(at: number, timeZone: string): { day: number; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  const day = DAY_NAMES.indexOf(get('weekday').toLowerCase() as (typeof DAY_NAMES)[number]);
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** True when `at` falls inside `window`. */
function withinWindow(window: ActiveHours, at: number): boolean {
  const { day, minute } = localTime(at, window.timeZone);
  if (window.fromMinute < window.toMinute) return window.days.has(day) && minute >= window.fromMinute && minute < window.toMinute;
  // overnight: the evening part on a listed day, the morning part on the day after one
  return (window.days.has(day) && minute >= window.fromMinute) || (window.days.has((day + 6) % 7) && minute < window.toMinute);
}

/** True when `at` falls inside any of the windows. */
export function withinActiveHours(windows: readonly ActiveHours[], at: number): boolean {
  return windows.some((window) => withinWindow(window, at));
}
