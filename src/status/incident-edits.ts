/**
 * Creating and updating incidents and maintenance as the admin API does it: pure functions from
 * an already-validated request (and a clock and id source) to the next `Incident`. Every status
 * change or message becomes one timeline entry, so the page can show
 * investigating → identified → monitoring → resolved with what was said at each step.
 * @module
 */
import type { Impact, Incident, IncidentStatus, MaintenanceStatus } from '../domain/incident.ts';

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const satisfies readonly IncidentStatus[];
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const satisfies readonly MaintenanceStatus[];
export const IMPACTS = ['none', 'minor', 'major', 'critical', 'maintenance'] as const satisfies readonly Impact[];

type AnyStatus = IncidentStatus | MaintenanceStatus;

/** A new incident or maintenance, as posted. */
export interface NewIncident {
  kind: Incident['kind'];
  title: string;
  status?: AnyStatus;
  impact?: Impact;
  /** Names of affected checks. */
  checks: string[];
  /** Text of the first timeline entry. */
  body?: string;
  scheduledFor?: number;
  scheduledUntil?: number;
}

/** A change to an existing incident; `status` and/or `body` append a timeline entry. */
export interface IncidentPatch {
  status?: AnyStatus;
  body?: string;
  title?: string;
  impact?: Impact;
  checks?: string[];
  scheduledFor?: number;
  scheduledUntil?: number;
}

/** True for statuses that end an incident or maintenance. */
function isClosedStatus(status: AnyStatus): boolean {
  return status === 'resolved' || status === 'postmortem' || status === 'completed';
}

/** The statuses allowed for a kind. */
export function statusesFor(kind: Incident['kind']): readonly AnyStatus[] {
  return kind === 'maintenance' ? MAINTENANCE_STATUSES : INCIDENT_STATUSES;
}

/** Default text of an update that changes the status without a message. */
function defaultBody(status: AnyStatus): string {
  return `Status changed to ${status.replace(/_/g, ' ')}.`;
}

/** A new API-sourced incident with its first timeline entry (when a body was given). */
export function createIncident(input: NewIncident, now: number, newId: () => string): Incident {
  const maintenance = input.kind === 'maintenance';
  const status: AnyStatus = input.status ?? (maintenance ? 'scheduled' : 'investigating');
  const id = newId();
  return {
    id,
    kind: input.kind,
    title: input.title,
    status,
    impact: input.impact ?? (maintenance ? 'maintenance' : 'minor'),
    checks: [...new Set(input.checks)],
    createdAt: now,
    updatedAt: now,
    ...(isClosedStatus(status) ? { resolvedAt: now } : {}),
    ...(maintenance && input.scheduledFor !== undefined ? { scheduledFor: input.scheduledFor } : {}),
    ...(maintenance && input.scheduledUntil !== undefined ? { scheduledUntil: input.scheduledUntil } : {}),
    source: 'api',
    updates: input.body ? [{ id: newId(), status, body: input.body, at: now }] : [],
  };
}

/**
 * The incident after `patch`: edits replace fields, a new status or message appends one update,
 * and `resolvedAt` follows the status (set when it closes, cleared if it is reopened).
 */
export function applyIncidentPatch(incident: Incident, patch: IncidentPatch, now: number, newId: () => string): Incident {
  const next: Incident = { ...incident, updates: [...incident.updates], updatedAt: now };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.impact !== undefined) next.impact = patch.impact;
  if (patch.checks !== undefined) next.checks = [...new Set(patch.checks)];
  if (incident.kind === 'maintenance') {
    if (patch.scheduledFor !== undefined) next.scheduledFor = patch.scheduledFor;
    if (patch.scheduledUntil !== undefined) next.scheduledUntil = patch.scheduledUntil;
  }
  if (patch.status !== undefined || patch.body !== undefined) {
    const status = patch.status ?? incident.status;
    next.status = status;
    next.updates.push({ id: newId(), status, body: patch.body ?? defaultBody(status), at: now });
  }
  if (isClosedStatus(next.status)) next.resolvedAt = incident.resolvedAt !== undefined && isClosedStatus(incident.status) ? incident.resolvedAt : now;
  else delete next.resolvedAt;
  return next;
}
