/**
 * Maintenance windows stored in the store (created through `POST /api/v1/incidents`, or synced
 * from config) silence alerts exactly like the config calendar: a check named by a running
 * maintenance is not evaluated. The store is read at most once per `refreshMs`, so a window
 * created through the API silences within that time, on every instance of a cluster.
 * @module
 */
import type { Store } from '../storage/store.ts';
import { isMaintenanceActive } from '../status/incident-lists.ts';

export type StoredMaintenanceStore = Pick<Store, 'listIncidents'>;

/** How long one read of the stored windows is reused. */
const REFRESH_MS = 10_000;

/** Returns the names of checks in a running stored maintenance at `now` (cached for `refreshMs`). */
export function createStoredMaintenance(store: StoredMaintenanceStore, refreshMs = REFRESH_MS): (now: number) => Promise<ReadonlySet<string>> {
  let cached: { at: number; checks: ReadonlySet<string> } | undefined;
  return async (now) => {
    if (cached && now >= cached.at && now - cached.at < refreshMs) return cached.checks;
    const checks = new Set<string>();
    for (const incident of await store.listIncidents()) {
      if (isMaintenanceActive(incident, now)) for (const check of incident.checks) checks.add(check);
    }
    cached = { at: now, checks };
    return checks;
  };
}
