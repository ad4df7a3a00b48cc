/**
 * Config section `maintenance:` — planned windows during which results are stored but not
 * counted in uptime, alerts stay silent and the page shows "maintenance".
 *
 * ```yaml
 * maintenance:
 *   - name: db-upgrade                      # one-off
 *     title: Database upgrade
 *     checks: [api, db]
 *     start: 2026-12-01T22:00:00+01:00
 *     end: 2026-12-02T01:00:00+01:00
 *   - name: nightly-backup                  # recurring
 *     groups: [Storage]
 *     cron: "0 3 * * *"
 *     duration: 30m
 *     timezone: Europe/Berlin
 * ```
 * A window with neither `checks` nor `groups` applies to every check.
 * @module
 */
import { z } from 'zod';
import { CronExpressionParser } from 'cron-parser';
import { duration } from '../kernel/duration.ts';

const MAX_RECURRING_MS = 31 * 86_400_000;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;

/** Fields every window has, after defaults. */
interface WindowBase {
  /** Stable identity (unique in the section). */
  name: string;
  /** Display title; defaults to the name. */
  title: string;
  description?: string;
  /** Targeted check names; with `groups`, the union applies. Neither means every check. */
  checks?: string[];
  groups?: string[];
}

/** A one-off window, as epoch ms: `start` inclusive, `end` exclusive. */
interface OneOffWindow extends WindowBase {
  kind: 'once';
  start: number;
  end: number;
}

/** A window that opens at each occurrence of a 5-field cron expression, in an IANA time zone. */
interface RecurringWindow extends WindowBase {
  kind: 'recurring';
  cron: string;
  /** Elapsed time each occurrence lasts (wall-clock shifts at DST do not stretch it). */
  durationMs: number;
  timezone: string;
}

export type MaintenanceWindow = OneOffWindow | RecurringWindow;

/** ISO-8601 with an explicit offset (`Z` or `+02:00`); YAML timestamps arriving as Dates are accepted too. */
const timestamp = z.union([z.string(), z.date()]).transform((value, ctx) => {
  if (value instanceof Date) return value.getTime();
  const match = TIMESTAMP.exec(value.trim());
  const [year, month, day, hour, minute, second] = (match?.slice(1, 7) ?? []).map((part) => Number(part ?? 0));
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  const valid =
    match && calendarDay.getUTCMonth() === month - 1 && calendarDay.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  const ms = valid ? Date.parse(value.trim().replace(' ', 'T')) : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: `must be an ISO-8601 timestamp with an offset, like 2026-12-01T22:00:00+01:00 or …Z (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }
  return ms;
});

/** The canonical name of an IANA time zone, or undefined when the runtime does not know it. */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Why a cron expression is unusable for a window, or undefined when it is fine. */
function cronProblem(cron: string, timezone: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  // H picks a random minute per process: cluster instances would disagree about the window.
  if (/H/i.test(cron.replace(/[a-z]{3}/gi, ''))) return 'the H (random) field is not supported: windows must be the same on every instance';
  try {
    CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(Date.UTC(2000, 0, 1)) }).next();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const windowSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    title: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    description: z.string().max(2000).optional(),
    checks: z.array(z.string().trim().min(1)).min(1, 'must list at least one check (omit it to target every check)').optional(),
    groups: z.array(z.string().trim().min(1)).min(1, 'must list at least one group (omit it to target every check)').optional(),
    start: timestamp.optional(),
    end: timestamp.optional(),
    cron: z.string().optional(),
    duration: duration.optional(),
    timezone: z.string().trim().min(1).optional(),
  })
  .superRefine((window, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: path ? [path] : [], message });
    if (window.name === undefined && window.title === undefined) issue('', 'needs a name (or a title)');
    const oneOff = window.start !== undefined || window.end !== undefined;
    const recurring = window.cron !== undefined || window.duration !== undefined;
    if (oneOff && recurring) return issue('', 'use either start + end (one-off) or cron + duration (recurring), not both');
    if (!oneOff && !recurring) return issue('', 'needs start + end (one-off) or cron + duration (recurring)');
    if (oneOff) {
      if (window.start === undefined) issue('start', 'is required with end');
      if (window.end === undefined) issue('end', 'is required with start');
      if (window.start !== undefined && window.end !== undefined && window.end <= window.start) issue('end', 'must be after start');
      if (window.timezone !== undefined) issue('timezone', 'applies only to cron windows (start and end carry their own offset)');
      return;
    }
    if (window.cron === undefined) issue('cron', 'is required with duration');
    if (window.duration === undefined) issue('duration', 'is required with cron');
    if (window.duration !== undefined && (window.duration <= 0 || window.duration > MAX_RECURRING_MS)) {
      issue('duration', 'must be more than 0 and at most 31d');
    }
    const timezone = canonicalTimeZone(window.timezone ?? 'UTC');
    if (!timezone) issue('timezone', `unknown time zone ${JSON.stringify(window.timezone)}; use an IANA name like Europe/Berlin or UTC`);
    const problem = window.cron !== undefined && cronProblem(window.cron, timezone ?? 'UTC');
    if (problem) issue('cron', `invalid cron expression ${JSON.stringify(window.cron)}: ${problem}`);
  })
  .transform((window): MaintenanceWindow => {
    const name = (window.name ?? window.title)!;
    const base: WindowBase = { name, title: window.title ?? name };
    if (window.description !== undefined) base.description = window.description;
    if (window.checks) base.checks = window.checks;
    if (window.groups) base.groups = window.groups;
    if (window.cron === undefined) return { ...base, kind: 'once', start: window.start!, end: window.end! };
    return {
      ...base,
      kind: 'recurring',
      cron: window.cron.trim(),
      durationMs: window.duration!,
      timezone: canonicalTimeZone(window.timezone ?? 'UTC')!,
    };
  });

/** The `maintenance:` section: a list of windows with unique names (absent = none). */
export const maintenanceConfigSchema = z
  .array(windowSchema)
  .superRefine((windows, ctx) => {
    const seen = new Map<string, number>();
    windows.forEach((window, index) => {
      const first = seen.get(window.name);
      if (first === undefined) seen.set(window.name, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate window name "${window.name}" (also maintenance[${first}])` });
    });
  })
  // Optional rather than defaulted: the section's type has been `… | undefined` since the placeholder.
  .optional();

export type MaintenanceConfig = z.output<typeof maintenanceConfigSchema>;
