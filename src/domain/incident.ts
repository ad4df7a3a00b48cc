/**
 * Incidents and scheduled maintenance, as declared in config or posted through the admin API.
 * Field names follow the Statuspage v2 vocabulary so the compatible API is a plain mapping.
 * @module
 */

export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
export type Impact = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** One entry on an incident's timeline. */
interface IncidentUpdate {
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  body: string;
  at: number;
}

export interface Incident {
  /** Stable id: derived from the config key for declared incidents, random for API-created ones. */
  id: string;
  kind: 'incident' | 'maintenance';
  title: string;
  status: IncidentStatus | MaintenanceStatus;
  impact: Impact;
  /** Names of the affected checks. */
  checks: string[];
  createdAt: number;
  updatedAt: number;
  resolvedAt?: number;
  /** Maintenance only: the planned window. */
  scheduledFor?: number;
  scheduledUntil?: number;
  /** Where it came from: config-declared incidents are re-synced at start-up. */
  source: 'config' | 'api';
  /** Newest last. */
  updates: IncidentUpdate[];
}
