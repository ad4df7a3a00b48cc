/**
 * A configured maintenance window as the maintenance incident pages, feeds and subscriber notices
 * show: its stable public id (maintenance-id.ts), its title, its times, and its description as the
 * one update. The status page and the maintenance notices both build it here, so an occurrence has
 * the same id and wording everywhere.
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import type { MaintenanceCalendar } from './create-maintenance-calendar.ts';
import { maintenanceId } from './maintenance-id.ts';

/** One occurrence, as the calendar lists it. */
type CalendarWindow = ReturnType<MaintenanceCalendar['upcoming']>[number];

/** The occurrence as a maintenance incident with `status`, about `checks` (empty: the whole page). */
export function windowIncident(window: CalendarWindow, status: Incident['status'], checks: string[]): Incident {
  const id = maintenanceId(window.name, window.start);
  return {
    id,
    kind: 'maintenance',
    title: window.title,
    status,
    impact: 'maintenance',
    checks,
    createdAt: window.start,
    updatedAt: window.start,
    scheduledFor: window.start,
    scheduledUntil: window.end,
    source: 'config',
    updates: window.description ? [{ id: `${id}-1`, status: 'scheduled', body: window.description, at: window.start }] : [],
  };
}
