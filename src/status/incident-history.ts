/**
 * The incident history page's shape: incidents (any status) and completed maintenance, newest
 * first, grouped by the UTC month they started in. Scheduled or running maintenance is not
 * history yet; the status page announces it.
 * @module
 */
import type { Incident } from '../domain/incident.ts';

export interface IncidentMonth {
  /** `YYYY-MM` (UTC). */
  month: string;
  /** "March 2026". */
  label: string;
  incidents: Incident[];
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** When an entry happened for the history: maintenance by its window, incidents by creation. */
function historyTime(incident: Incident): number {
  return incident.kind === 'maintenance' ? (incident.scheduledFor ?? incident.createdAt) : incident.createdAt;
}

/** True for entries the history shows. */
function inHistory(incident: Incident, now: number): boolean {
  if (incident.kind === 'incident') return incident.createdAt <= now;
  return incident.status === 'completed';
}

/** Groups history entries by month, newest month and newest entry first. */
export function incidentHistory(incidents: readonly Incident[], now: number): IncidentMonth[] {
  const months = new Map<string, IncidentMonth>();
  const entries = incidents.filter((i) => inHistory(i, now)).sort((a, b) => historyTime(b) - historyTime(a));
  for (const incident of entries) {
    const date = new Date(historyTime(incident));
    const month = date.toISOString().slice(0, 7);
    let group = months.get(month);
    if (!group) {
      group = { month, label: `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}`, incidents: [] };
      months.set(month, group);
    }
    group.incidents.push(incident);
  }
  return [...months.values()];
}
