/**
 * The maintenance calendar of a Lambda function's config. Most configs have no `maintenance:`
 * windows; for them the calendar is the empty one below and the calendar code — with cron-parser
 * and luxon, its largest dependencies — is never loaded. A config with windows imports it.
 * @module
 */
import type { CalendarCheck, MaintenanceCalendar } from '../../maintenance/create-maintenance-calendar.ts';
import type { MaintenanceConfig } from '../../maintenance/maintenance-config.ts';

/** What `createMaintenanceCalendar` answers for a config without windows. */
const NO_WINDOWS: MaintenanceCalendar = {
  activeFor: () => undefined,
  inMaintenance: () => false,
  upcoming: () => [],
};

/** The calendar of `windows` for `checks`; loads the calendar code only when there are windows. */
export async function loadMaintenanceCalendar(windows: MaintenanceConfig | undefined, checks: readonly CalendarCheck[]): Promise<MaintenanceCalendar> {
  if (!windows?.length) return NO_WINDOWS;
  const { createMaintenanceCalendar } = await import('../../maintenance/create-maintenance-calendar.ts');
  return createMaintenanceCalendar(windows, checks);
}
