/**
 * Routing (`alerts.routes`, `alerts.defaultRoute`): which channels an alarm goes to, by severity,
 * labels, group, check or rule, and by business hours.
 *
 * - Routes are tried in order; the first that matches takes the alarm. `continue: true` on a
 *   matching route lets the later routes match it too (their channels are added).
 * - A route outside its `activeHours` does not match: the alarm goes on to the next routes, so
 *   "business hours → chat, otherwise → pager" is two routes.
 * - When no route takes it, `defaultRoute.channels` does; without a default route it goes nowhere.
 * - A rule with its own `channels:` is not routed (the most specific setting wins).
 * @module
 */
import { z } from 'zod';
import { activeHoursSchema, withinActiveHours } from './active-hours.ts';

/** What routes match on: the alert's own fields. */
export interface RouteSubject {
  check: string;
  group?: string;
  rule: string;
  severity?: string;
  labels?: Readonly<Record<string, string>>;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A record keyed by label names; a bad name is reported at its own path (zod would say only "Invalid key"). */
function byLabel<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const name of Object.keys(record)) {
      if (!LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'must be a label name like team or service_tier (letters, digits, _)' });
    }
  });
}

/** Label names and values, as rules carry them (`labels: { team: db }`). */
export const labelsSchema = byLabel(z.string().max(200));

/** A matcher value: one value or any of a list. */
const oneOrMany = z.union([z.string().min(1).transform((value) => [value]), z.array(z.string().min(1)).min(1)]);

const matchSchema = z.strictObject({
  severity: oneOrMany.optional(),
  group: oneOrMany.optional(),
  check: oneOrMany.optional(),
  rule: oneOrMany.optional(),
  labels: byLabel(oneOrMany).optional(),
});

const routeSchema = z.strictObject({
  /** Every matcher given must match; a route without `match` takes every alarm. */
  match: matchSchema.optional(),
  channels: z.array(z.string().min(1)).min(1),
  /** Also try the routes after this one when it matched. */
  continue: z.boolean().default(false),
  activeHours: activeHoursSchema.optional(),
});

export const routesSchema = z.array(routeSchema);
export const defaultRouteSchema = z.strictObject({ channels: z.array(z.string().min(1)) });

export type Route = z.output<typeof routeSchema>;
type RouteMatch = z.output<typeof matchSchema>;

function matches(match: RouteMatch | undefined, subject: RouteSubject): boolean {
  if (!match) return true;
  const field = (allowed: string[] | undefined, value: string | undefined) => !allowed || (value !== undefined && allowed.includes(value));
  return (
    field(match.severity, subject.severity) &&
    field(match.group, subject.group) &&
    field(match.check, subject.check) &&
    field(match.rule, subject.rule) &&
    Object.entries(match.labels ?? {}).every(([name, allowed]) => field(allowed, subject.labels?.[name]))
  );
}

/** The channels the routes send `subject`'s alarm to at `at` (in route order, without repeats). */
export function routeChannels(routes: readonly Route[], defaultRoute: { channels: string[] } | undefined, subject: RouteSubject, at: number): string[] {
  const chosen: string[] = [];
  let taken = false;
  for (const route of routes) {
    if (!matches(route.match, subject)) continue;
    if (route.activeHours && !withinActiveHours(route.activeHours, at)) continue;
    chosen.push(...route.channels);
    taken = true;
    if (!route.continue) break;
  }
  if (!taken) chosen.push(...(defaultRoute?.channels ?? []));
  return [...new Set(chosen)];
}
