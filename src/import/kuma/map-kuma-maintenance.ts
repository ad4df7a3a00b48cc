/**
 * Kuma maintenance → Upstate `maintenance:` windows. single → one-off; cron, recurring-weekday,
 * recurring-day-of-month and daily recurring-interval → a cron window in the same time zone;
 * manual (an on/off switch) and every-N-days intervals have no Upstate equivalent.
 * @module
 */
import { formatDuration } from '../../kernel/parse-duration.ts';
import { canonicalTimeZone } from '../../maintenance/maintenance-config.ts';
import { isoUtc, zonedToUtc } from '../zoned-time.ts';
import type { KumaMaintenance } from './kuma-model.ts';

export type WindowMapping = { value: Record<string, unknown>; dropped: string[] } | { skip: string };

const MINUTE = 60_000;

function minutesOf(time: string | undefined): number | undefined {
  const match = /^(\d{1,2}):(\d{2})/.exec(time ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Maps one window; `checks` are the Upstate names of its monitors (and of its pages' monitors). */
export function mapKumaMaintenance(w: KumaMaintenance, name: string, checks: string[]): WindowMapping {
  if (!w.active) return { skip: 'inactive in Kuma' };
  if (!checks.length) return { skip: 'none of its monitors were imported (a window without checks would cover every check)' };
  const dropped: string[] = [];
  const zone = w.timezone && w.timezone !== 'SAME_AS_SERVER' ? canonicalTimeZone(w.timezone) : undefined;
  if (!zone) dropped.push(`time zone ${JSON.stringify(w.timezone ?? 'server default')} is read as UTC`);
  const timezone = zone ?? 'UTC';
  const base: Record<string, unknown> = { name, title: w.title, checks };
  if (w.description) base.description = w.description.slice(0, 2000);

  if (w.strategy === 'manual') return { skip: 'manual maintenance is an on/off switch with no schedule; use an incident of kind maintenance instead' };
  if (w.strategy === 'single') {
    const start = w.startDate ? zonedToUtc(w.startDate, timezone) : Number.NaN;
    const end = w.endDate ? zonedToUtc(w.endDate, timezone) : Number.NaN;
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return { skip: `start/end ${w.startDate} – ${w.endDate} are not a valid range` };
    return { value: { ...base, start: isoUtc(start), end: isoUtc(end) }, dropped };
  }
  if (w.strategy === 'cron') {
    const cron = (w.cron ?? '').trim();
    if (cron.split(/\s+/).length !== 5 || !w.duration) return { skip: `cron ${JSON.stringify(cron)} with duration ${w.duration ?? '?'} min is not a 5-field cron with a duration` };
    return { value: { ...base, cron, duration: formatDuration(w.duration * MINUTE), timezone }, dropped };
  }
  // the remaining strategies repeat a daily time slot
  const from = minutesOf(w.startTime);
  const to = minutesOf(w.endTime);
  if (from === undefined || to === undefined) return { skip: `${w.strategy} without a start and end time` };
  const duration = formatDuration((((to - from + 1440) % 1440) || 1440) * MINUTE);
  const at = `${from % 60} ${Math.floor(from / 60)}`;
  let cron: string;
  if (w.strategy === 'recurring-weekday') {
    if (!w.weekdays.length) return { skip: 'recurring-weekday without weekdays' };
    cron = `${at} * * ${[...new Set(w.weekdays.map((d) => Number(d) % 7))].sort().join(',')}`;
  } else if (w.strategy === 'recurring-day-of-month') {
    const days = w.daysOfMonth.filter((d) => Number.isInteger(Number(d)) && Number(d) >= 1 && Number(d) <= 31).map(Number);
    const other = w.daysOfMonth.filter((d) => !days.includes(Number(d)));
    if (other.length) dropped.push(`days ${other.join(', ')} (e.g. "last day of month") cannot be expressed in cron`);
    if (!days.length) return { skip: 'no day of month Upstate can express' };
    cron = `${at} ${days.join(',')} * *`;
  } else if (w.strategy === 'recurring-interval') {
    if ((w.intervalDay ?? 1) !== 1) return { skip: `every ${w.intervalDay} days cannot be expressed as a cron window` };
    cron = `${at} * * *`;
  } else {
    return { skip: `unknown strategy "${w.strategy}"` };
  }
  if (w.startDate || w.endDate) dropped.push(`the date range ${w.startDate ?? '…'} – ${w.endDate ?? '…'} limiting the recurrence is dropped`);
  return { value: { ...base, cron, duration, timezone }, dropped };
}
