/**
 * Config section `incidents:` — incidents and maintenance declared in the config file, plus the
 * mapping to domain `Incident`s (ids prefixed `cfg-` so they never collide with API-created ones).
 *
 *   incidents:
 *     - id: db-upgrade
 *       kind: maintenance
 *       title: Database upgrade
 *       checks: [API]
 *       from: 2026-02-01T22:00:00Z
 *       until: 2026-02-01T23:00:00Z
 *     - id: eu-latency
 *       title: Elevated latency in EU
 *       impact: minor
 *       at: 2026-01-10T09:12:00Z
 *       updates:
 *         - { at: 2026-01-10T09:12:00Z, status: investigating, body: We are looking into it. }
 * @module
 */
import { z } from 'zod';
import type { Impact, Incident, IncidentStatus, MaintenanceStatus } from '../domain/incident.ts';
import { INCIDENT_STATUSES, MAINTENANCE_STATUSES } from './incident-edits.ts';

/** An instant: ISO-8601 text (YAML leaves timestamps as strings), a Date, or epoch ms. */
const instant = z.union([z.string(), z.number(), z.date()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `must be a time like 2026-01-10T09:00:00Z (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return ms;
});

const updateSchema = z.strictObject({
  at: instant,
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  body: z.string().min(1).max(10_000),
});

const incidentEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be letters, digits, - or _ (at most 100)'),
    kind: z.enum(['incident', 'maintenance']).default('incident'),
    title: z.string().min(1).max(300),
    impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']).optional(),
    status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]).optional(),
    checks: z.array(z.string().min(1)).default([]),
    /** When the incident started (incidents) — defaults to the first update or `from`. */
    at: instant.optional(),
    resolvedAt: instant.optional(),
    /** Maintenance window. */
    from: instant.optional(),
    until: instant.optional(),
    body: z.string().max(10_000).optional(),
    updates: z.array(updateSchema).default([]),
  })
  .superRefine((entry, ctx) => {
    const allowed: readonly string[] = entry.kind === 'maintenance' ? MAINTENANCE_STATUSES : INCIDENT_STATUSES;
    if (entry.status && !allowed.includes(entry.status)) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: `must be one of ${allowed.join(', ')} for kind ${entry.kind}` });
    }
    if (entry.kind === 'maintenance' && entry.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'maintenance needs a start time (from)' });
    }
    if (entry.kind === 'incident' && entry.at === undefined && entry.updates.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'an incident needs a start time (at) or at least one update' });
    }
    if (entry.from !== undefined && entry.until !== undefined && entry.until <= entry.from) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after from' });
    }
  });

export const incidentsConfigSchema = z
  .array(incidentEntrySchema)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate incident id ${entry.id}` });
      seen.add(entry.id);
    });
  })
  .optional();

export type IncidentsConfig = z.output<typeof incidentsConfigSchema>;
type IncidentEntry = z.output<typeof incidentEntrySchema>;

/** Domain incidents for the entries of the `incidents:` section (for syncing into the store). */
export function incidentsFromConfig(config: IncidentsConfig): Incident[] {
  return (config ?? []).map((entry) => {
    const maintenance = entry.kind === 'maintenance';
    const updates = [...entry.updates].sort((a, b) => a.at - b.at);
    const createdAt = entry.at ?? (maintenance ? entry.from : undefined) ?? updates[0]?.at ?? 0;
    const status: IncidentStatus | MaintenanceStatus =
      entry.status ?? updates.at(-1)?.status ?? (maintenance ? 'scheduled' : entry.resolvedAt !== undefined ? 'resolved' : 'investigating');
    if (entry.body && updates.length === 0) updates.push({ at: createdAt, status, body: entry.body });
    const impact: Impact = entry.impact ?? (maintenance ? 'maintenance' : 'minor');
    const done = status === 'resolved' || status === 'postmortem' || status === 'completed';
    return {
      id: `cfg-${entry.id}`,
      kind: entry.kind,
      title: entry.title,
      status,
      impact,
      checks: entry.checks,
      createdAt,
      updatedAt: Math.max(createdAt, ...updates.map((u) => u.at)),
      resolvedAt: entry.resolvedAt ?? (done ? (updates.at(-1)?.at ?? entry.until ?? createdAt) : undefined),
      scheduledFor: maintenance ? entry.from : undefined,
      scheduledUntil: maintenance ? entry.until : undefined,
      source: 'config',
      updates: updates.map((u, i) => ({ id: `cfg-${entry.id}-${i + 1}`, status: u.status, body: u.body, at: u.at })),
    };
  });
}
