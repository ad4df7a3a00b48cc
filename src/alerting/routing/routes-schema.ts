/**
 * The schemas of `alerts.routes`, `alerts.defaultRoute` and rule `labels` (route-alert.ts routes
 * by them). Apart from the routing code so that a process given an already validated config (the
 * Lambda functions) routes alarms without loading the config schemas.
 * @module
 */
import { z } from 'zod';
import { activeHoursSchema } from './active-hours-schema.ts';

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
export type RouteMatch = z.output<typeof matchSchema>;

