/**
 * The incidents port: incidents and maintenance windows, stored whole.
 * @module
 */
import type { Incident } from '../../domain/incident.ts';

/** Incidents and maintenance windows. */
export interface IncidentsPort {
  /** Inserts or replaces an incident by id. */
  saveIncident(incident: Incident): Promise<void>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest first (by createdAt); `since` filters on updatedAt. */
  listIncidents(options?: { since?: number; limit?: number }): Promise<Incident[]>;
  deleteIncident(id: string): Promise<void>;
}
