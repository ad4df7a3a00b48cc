/**
 * The `activeHours:` schema of a route (active-hours.ts decides whether a moment falls inside).
 * Apart from that code so that a process given an already validated config (the Lambda
 * functions) evaluates business hours without loading the config schemas.
 * @module
 */
import { z } from 'zod';
import { DAY_NAMES, type ActiveHours } from './active-hours.ts';

const DAY_SPEC = /^(sun|mon|tue|wed|thu|fri|sat)(?:\s*-\s*(sun|mon|tue|wed|thu|fri|sat))?$/i;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** `mon-fri` → 1..5; `fri-mon` wraps over the weekend. */
function expandDays(spec: string): number[] | undefined {
  const match = DAY_SPEC.exec(spec.trim());
  if (!match) return undefined;
  const first = DAY_NAMES.indexOf(match[1].toLowerCase() as (typeof DAY_NAMES)[number]);
  const last = match[2] ? DAY_NAMES.indexOf(match[2].toLowerCase() as (typeof DAY_NAMES)[number]) : first;
  const days: number[] = [];
  for (let day = first; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === last) return days;
  }
}

const clock = z.string().regex(CLOCK, 'must be a time like 09:00 (24-hour, 00:00 to 24:00)').transform((text) => {
  const [hours, minutes] = text.split(':').map(Number);
  return hours * 60 + minutes;
});

const windowSchema = z
  .strictObject({
    days: z
      .array(z.string())
      .min(1)
      .transform((specs, ctx) => {
        const days = new Set<number>();
        specs.forEach((spec, index) => {
          const expanded = expandDays(spec);
          if (!expanded) ctx.addIssue({ code: 'custom', path: [index], message: `must be a day (mon … sun) or a range like mon-fri (got ${JSON.stringify(spec)})` });
          for (const day of expanded ?? []) days.add(day);
        });
        return days;
      })
      .optional(),
    from: clock.default(0),
    to: clock.default(24 * 60),
    timeZone: z
      .string()
      .default('UTC')
      .transform((name, ctx) => {
        const canonical = canonicalTimeZone(name);
        if (!canonical) ctx.addIssue({ code: 'custom', message: `unknown time zone ${JSON.stringify(name)}; use an IANA name like Europe/Berlin` });
        return canonical ?? name;
      }),
  })
  .superRefine((value, ctx) => {
    if (value.from === value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must differ from `from` (leave both out for whole days)' });
  })
  .transform((value): ActiveHours => ({ days: value.days ?? new Set([0, 1, 2, 3, 4, 5, 6]), fromMinute: value.from, toMinute: value.to, timeZone: value.timeZone }));

/** `activeHours:` — one window or a list of them (the route is active in any of them). */
export const activeHoursSchema = z.union([windowSchema.transform((one) => [one]), z.array(windowSchema).min(1)]);

