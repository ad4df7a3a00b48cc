/**
 * Sorting incidents and maintenance into what the page shows: active incidents, maintenance
 * in progress, upcoming maintenance and recently resolved history.
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import type { StatusIncidents } from './status-model.ts';

/** How far back resolved incidents stay on the page. */
const RECENT_INCIDENT_MS = 14 * 86_400_000;

/** True when a maintenance window is running at `now`. */
export function isMaintenanceActive(incident: Incident, now: number): boolean {
  if (incident.kind !== 'maintenance') return false;
  if (incident.status === 'in_progress' || incident.status === 'verifying') return true;
  if (incident.status !== 'scheduled') return false;
  // A scheduled window whose time has come counts as running even before anyone flips its status.
  const from = incident.scheduledFor;
  const until = incident.scheduledUntil;
  return from !== undefined && from <= now && (until === undefined || now < until);
}

/** Splits incidents into the page's lists. */
export function sortIncidents(incidents: readonly Incident[], now: number): StatusIncidents {
  const active: Incident[] = [];
  const maintenanceActive: Incident[] = [];
  const maintenanceUpcoming: Incident[] = [];
  const recent: Incident[] = [];
  for (const incident of incidents) {
    if (incident.kind === 'maintenance') {
      if (isMaintenanceActive(incident, now)) maintenanceActive.push(incident);
      else if (incident.status === 'scheduled' && (incident.scheduledFor ?? now) > now) maintenanceUpcoming.push(incident);
      else if (incident.status === 'completed' && now - (incident.resolvedAt ?? incident.updatedAt) <= RECENT_INCIDENT_MS) recent.push(incident);
      continue;
    }
    if (incident.status !== 'resolved' && incident.status !== 'postmortem') active.push(incident);
    else if (now - (incident.resolvedAt ?? incident.updatedAt) <= RECENT_INCIDENT_MS) recent.push(incident);
  }
  const newest = (a: Incident, b: Incident) => b.createdAt - a.createdAt;
  active.sort(newest);
  maintenanceActive.sort(newest);
  recent.sort((a, b) => (b.resolvedAt ?? b.updatedAt) - (a.resolvedAt ?? a.updatedAt));
  maintenanceUpcoming.sort((a, b) => (a.scheduledFor ?? 0) - (b.scheduledFor ?? 0));
  return { active, maintenanceActive, maintenanceUpcoming, recent };
}
