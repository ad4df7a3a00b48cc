/**
 * The admin UI's incident and maintenance forms, read into the same validated shapes the JSON API
 * accepts (`newIncidentSchema`, `incidentPatchSchema`), so a form and a script can never disagree
 * on what is allowed. Problems come back per field, for the page to show next to the input.
 *
 * Times are entered with `<input type="datetime-local">` and read as UTC, as the page shows them.
 * @module
 */
import type { z } from 'zod';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentPatch, NewIncident } from '../../status/incident-edits.ts';
import { statusesFor } from '../../status/incident-edits.ts';

/** A parsed form body: a field is a string, or a list when it repeats (the checks). */
export type FormBody = Record<string, string | File | (string | File)[]>;

/** Field name → message; `form` holds problems that belong to no single field. */
export type FieldErrors = Record<string, string>;

/** What the form showed, to fill it in again after an error. */
export interface FormValues {
  title: string;
  status: string;
  impact: string;
  checks: string[];
  body: string;
  scheduledFor: string;
  scheduledUntil: string;
}

type Read<T> = { ok: true; value: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `2026-02-01T22:00` (UTC) → epoch ms; undefined for anything else. */
function utcFromLocalInput(text: string): number | undefined {
  const m = LOCAL_TIME.exec(text);
  if (!m) return undefined;
  const at = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // Date.UTC rolls 2026-02-31 over into March: refuse dates that do not exist
  return new Date(at).getUTCDate() === +m[3]! && +m[4]! < 24 ? at : undefined;
}

/** Epoch ms → the `datetime-local` value of that instant in UTC. */
function localInputFromUtc(at: number | undefined): string {
  return at === undefined ? '' : new Date(at).toISOString().slice(0, 16);
}

const text = (value: FormBody[string] | undefined): string => (typeof value === 'string' ? value.trim() : '');
const list = (value: FormBody[string] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

/** The raw values of a posted form. */
function formValues(form: FormBody): FormValues {
  return {
    title: text(form.title),
    status: text(form.status),
    impact: text(form.impact),
    checks: list(form.checks),
    body: text(form.body),
    scheduledFor: text(form.scheduledFor),
    scheduledUntil: text(form.scheduledUntil),
  };
}

/** The values of an existing incident, as its edit form shows them (the message box starts empty). */
export function valuesOf(incident: Incident): FormValues {
  return {
    title: incident.title,
    status: incident.status,
    impact: incident.impact,
    checks: [...incident.checks],
    body: '',
    scheduledFor: localInputFromUtc(incident.scheduledFor),
    scheduledUntil: localInputFromUtc(incident.scheduledUntil),
  };
}

/** One message per field (the first issue wins), from a zod error. */
function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : 'form';
    // the schemas speak the API's field names; the form calls them start and end
    errors[field] ??= issue.message.replace(/\bscheduledFor\b/g, 'the start').replace(/\bscheduledUntil\b/g, 'the end');
  }
  return errors;
}

/** Reads the time fields; unreadable ones become errors rather than silently absent. */
function readTimes(values: FormValues, errors: FieldErrors): { scheduledFor?: number; scheduledUntil?: number } {
  const out: { scheduledFor?: number; scheduledUntil?: number } = {};
  for (const field of ['scheduledFor', 'scheduledUntil'] as const) {
    if (values[field] === '') continue;
    const at = utcFromLocalInput(values[field]);
    if (at === undefined) errors[field] = 'enter a date and time, like 2026-02-01 22:00';
    else out[field] = at;
  }
  return out;
}

function unknownChecks(checks: readonly string[], known: Pick<ReadonlySet<string>, 'has'>, errors: FieldErrors): void {
  const unknown = checks.find((name) => !known.has(name));
  if (unknown !== undefined) errors.checks = `no check is named ${JSON.stringify(unknown)}`;
}

/** Reads a "new incident" or "schedule maintenance" form (the schema, zod, loads with the first form read). */
export async function readNewIncident(form: FormBody, kind: Incident['kind'], known: Pick<ReadonlySet<string>, 'has'>): Promise<Read<NewIncident>> {
  const { newIncidentSchema } = await import('./incident-input.ts');
  const values = formValues(form);
  const errors: FieldErrors = {};
  const times = kind === 'maintenance' ? readTimes(values, errors) : {};
  const parsed = newIncidentSchema.safeParse({
    kind,
    title: values.title,
    checks: values.checks,
    ...(values.status ? { status: values.status } : {}),
    ...(values.impact ? { impact: values.impact } : {}),
    ...(values.body ? { body: values.body } : {}),
    ...times,
  });
  if (!parsed.success) Object.assign(errors, { ...fieldErrors(parsed.error), ...errors });
  if (kind === 'maintenance' && values.scheduledFor === '') errors.scheduledFor = 'maintenance needs a start time';
  if (kind === 'incident' && values.body === '') errors.body = 'say what is happening: this is the first update visitors read';
  unknownChecks(values.checks, known, errors);
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  return { ok: true, value: parsed.data, values };
}

/**
 * Reads an update form of `current` into a patch holding only what changed: a new status and/or
 * message append one timeline entry, edits to title, impact, checks or times replace the field.
 */
export async function readIncidentPatch(form: FormBody, current: Incident, known: Pick<ReadonlySet<string>, 'has'>): Promise<Read<IncidentPatch>> {
  const { incidentPatchSchema } = await import('./incident-input.ts');
  const values = formValues(form);
  const errors: FieldErrors = {};
  const before = valuesOf(current);
  const candidate: Record<string, unknown> = {};
  if (values.status !== '' && values.status !== current.status) candidate.status = values.status;
  if (values.body !== '') candidate.body = values.body;
  if (values.title !== before.title) candidate.title = values.title;
  if (values.impact !== '' && values.impact !== current.impact) candidate.impact = values.impact;
  const sameChecks = values.checks.length === current.checks.length && values.checks.every((c) => current.checks.includes(c));
  if (!sameChecks) candidate.checks = values.checks;
  if (current.kind === 'maintenance') {
    const times = readTimes(values, errors);
    if (values.scheduledFor === '' && current.scheduledFor !== undefined) errors.scheduledFor = 'maintenance needs a start time';
    if (values.scheduledFor !== before.scheduledFor && times.scheduledFor !== undefined) candidate.scheduledFor = times.scheduledFor;
    if (values.scheduledUntil !== before.scheduledUntil && times.scheduledUntil !== undefined) candidate.scheduledUntil = times.scheduledUntil;
    // a patch can move an end but not remove it (the API has no way to say "no end" either)
    if (values.scheduledUntil === '' && current.scheduledUntil !== undefined) errors.scheduledUntil = 'an end time can be moved but not removed';
    const from = times.scheduledFor ?? current.scheduledFor;
    const until = times.scheduledUntil ?? current.scheduledUntil;
    if (from !== undefined && until !== undefined && until <= from) errors.scheduledUntil ??= 'must be after the start';
  }
  if (typeof candidate.status === 'string' && !statusesFor(current.kind).includes(candidate.status as never)) {
    errors.status = `must be one of ${statusesFor(current.kind).join(', ')}`;
  }
  unknownChecks(values.checks, known, errors);
  if (Object.keys(candidate).length === 0 && Object.keys(errors).length === 0) {
    return { ok: false, errors: { body: 'nothing changed: write a message or change a field' }, values };
  }
  const parsed = incidentPatchSchema.safeParse(candidate);
  if (!parsed.success) Object.assign(errors, { ...fieldErrors(parsed.error), ...errors });
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  return { ok: true, value: parsed.data, values };
}
