/**
 * Request bodies of the incident admin API, validated with zod. Errors name the field
 * (`title: must not be empty`), so a script author sees what to fix.
 * @module
 */
import { z } from 'zod';
import { IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES, statusesFor } from '../../status/incident-edits.ts';
import { BadRequestError } from '../http-errors.ts';

/** Epoch ms or an ISO-8601 time with a zone. */
const instant = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true, message: 'must be epoch milliseconds or an ISO-8601 time like 2026-02-01T22:00:00Z' }).transform((s) => Date.parse(s)),
]);
const title = z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters');
const body = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');
const status = z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]);
const checks = z.array(z.string().min(1)).max(500);

export const newIncidentSchema = z
  .strictObject({
    kind: z.enum(['incident', 'maintenance']).default('incident'),
    title,
    status: status.optional(),
    impact: z.enum(IMPACTS).optional(),
    checks: checks.default([]),
    body: body.optional(),
    scheduledFor: instant.optional(),
    scheduledUntil: instant.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.status && !statusesFor(input.kind).includes(input.status)) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: `must be one of ${statusesFor(input.kind).join(', ')} for a ${input.kind}` });
    }
    if (input.kind === 'incident' && input.body === undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'an incident needs a first update (body)' });
    }
    if (input.kind === 'maintenance' && input.scheduledFor === undefined) {
      ctx.addIssue({ code: 'custom', path: ['scheduledFor'], message: 'maintenance needs a start time' });
    }
    if (input.kind === 'incident' && (input.scheduledFor !== undefined || input.scheduledUntil !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['scheduledFor'], message: 'only maintenance has a schedule' });
    }
    if (input.scheduledFor !== undefined && input.scheduledUntil !== undefined && input.scheduledUntil <= input.scheduledFor) {
      ctx.addIssue({ code: 'custom', path: ['scheduledUntil'], message: 'must be after scheduledFor' });
    }
  });

export const incidentPatchSchema = z
  .strictObject({
    status: status.optional(),
    body: body.optional(),
    title: title.optional(),
    impact: z.enum(IMPACTS).optional(),
    checks: checks.optional(),
    scheduledFor: instant.optional(),
    scheduledUntil: instant.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one of status, body, title, impact, checks, scheduledFor, scheduledUntil' });

/** `path: message` for every issue, joined (the root is named "body"). */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}

/** Parses `value` with `schema` or throws a 400 naming each bad field. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(describeIssues(parsed.error), { cause: parsed.error });
  return parsed.data;
}

/** Unknown check names in `names` as a 400 naming the first offending index. */
export function assertKnownChecks(names: readonly string[] | undefined, known: Pick<ReadonlySet<string>, 'has'>): void {
  const index = (names ?? []).findIndex((n) => !known.has(n));
  if (index >= 0) throw new BadRequestError(`checks.${index}: no check is named ${JSON.stringify(names![index])}`);
}

