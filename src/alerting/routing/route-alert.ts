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
import type { Route, RouteMatch } from './routes-schema.ts';
import { withinActiveHours } from './active-hours.ts';

/** What routes match on: the alert's own fields. */
export interface RouteSubject {
  check: string;
  group?: string;
  rule: string;
  severity?: string;
  labels?: Readonly<Record<string, string>>;
}

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
