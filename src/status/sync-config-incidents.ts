/**
 * Makes the stored config-declared incidents match the `incidents:` section: saves every declared
 * one (unchanged ones are not rewritten), deletes stored `source: 'config'` incidents that are no
 * longer declared, and never touches incidents created through the admin API. Run at start-up,
 * after `store.migrate()`.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type { Store } from '../storage/store.ts';
import { incidentsFromConfig, type IncidentsConfig } from './incidents-config.ts';

export interface IncidentSyncReport {
  /** Ids written (new or changed). */
  saved: string[];
  /** Ids of config incidents removed from the store. */
  deleted: string[];
  /** Declared incidents already stored as they are. */
  unchanged: number;
  /** When the sync ran. */
  at: number;
}

/** Syncs config incidents into the store; idempotent, so every instance of a cluster may run it. */
export async function syncConfigIncidents(
  store: Pick<Store, 'listIncidents' | 'saveIncident' | 'deleteIncident'>,
  config: { incidents: IncidentsConfig },
  now: number,
): Promise<IncidentSyncReport> {
  const declared = incidentsFromConfig(config.incidents);
  const stored = new Map((await store.listIncidents()).filter((i) => i.source === 'config').map((i) => [i.id, i]));
  const report: IncidentSyncReport = { saved: [], deleted: [], unchanged: 0, at: now };
  const keep = new Set<string>();
  for (const incident of declared) {
    keep.add(incident.id);
    const current = stored.get(incident.id);
    // Stores may drop undefined fields, so compare JSON-normalised shapes.
    if (current && isDeepStrictEqual(JSON.parse(JSON.stringify(current)), JSON.parse(JSON.stringify(incident)))) {
      report.unchanged += 1;
      continue;
    }
    await store.saveIncident(incident);
    report.saved.push(incident.id);
  }
  for (const id of stored.keys()) {
    if (keep.has(id)) continue;
    await store.deleteIncident(id);
    report.deleted.push(id);
  }
  return report;
}
