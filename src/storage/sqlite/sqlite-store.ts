/**
 * The embedded store: one SQLite file through better-sqlite3. Writes are synchronous and short,
 * so the async `Store` methods simply run them; compare-and-set methods use `BEGIN IMMEDIATE`
 * so several processes (or instances) on one file stay correct.
 * @module
 */
import { bucketStart, rollupsOf } from '../../domain/rollup.ts';
import type { Store } from '../store.ts';
import { createAlertsRepo } from './alerts-repo.ts';
import { createCredentialsRepo } from './credentials-repo.ts';
import { openDatabase } from './database.ts';
import { createIncidentsRepo } from './incidents-repo.ts';
import { migrate } from './migrations.ts';
import { createNameTable } from './names.ts';
import { createResultsRepo } from './results-repo.ts';
import { createRollupRepo } from './rollup-repo.ts';
import { createScheduleRepo } from './schedule-repo.ts';
import { createStatesRepo } from './states-repo.ts';

/** How long after an hour ends its results are packed (late results are still accepted). */
const PACK_GRACE_MS = 5 * 60_000;

export interface SqliteStoreOptions {
  /** Database file; it and its directory are created when missing. */
  path: string;
  /** How long a write waits for another process's lock before failing, ms (default 5000). */
  busyTimeoutMs?: number;
}

/**
 * Opens the SQLite store. The schema is created/upgraded by `migrate()`, or on first use if the
 * caller did not migrate explicitly.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const handle = openDatabase(options);
  let migrated = false;
  const ready = () => {
    if (!migrated) {
      migrate(handle);
      migrated = true;
    }
  };
  const names = createNameTable(handle);
  const results = createResultsRepo(handle, names);
  const rollups = createRollupRepo(handle, names);
  const states = createStatesRepo(handle);
  const credentials = createCredentialsRepo(handle);
  const incidents = createIncidentsRepo(handle);
  const alerts = createAlertsRepo(handle);
  const schedule = createScheduleRepo(handle);
  /** Results older than this were already packed into hour blocks by this instance. */
  let packedBefore = Number.NEGATIVE_INFINITY;

  return {
    async migrate() {
      migrate(handle);
      migrated = true;
    },

    async close() {
      handle.close();
    },

    async recordResults(batch) {
      ready();
      if (!batch.results.length && !batch.states.length) return;
      const wanted = new Set<string>();
      for (const r of batch.results) {
        wanted.add(r.check);
        if (r.region !== undefined) wanted.add(r.region);
      }
      for (const s of batch.states) wanted.add(s.check);
      // interned outside the main transaction: names are never deleted, so this is harmless if
      // the batch then fails, and the id cache never holds an id that was rolled back
      const ids = names.ensure(wanted);
      let newest = Number.NEGATIVE_INFINITY;
      handle.write(() => {
        const inserted = results.insert(batch.results, ids);
        rollups.merge(rollupsOf(inserted), ids);
        states.save(batch.states, ids);
        for (const r of inserted) newest = Math.max(newest, r.at);
      });
      // Pack closed hours into blocks once results are PACK_GRACE_MS past the hour's end, so
      // the row-per-result table only ever holds about one hour. Later stragglers still land as
      // rows and are merged into their block at the next packing.
      if (Number.isFinite(newest)) {
        const cutoff = bucketStart(newest - PACK_GRACE_MS, 'hour');
        if (cutoff > packedBefore) {
          results.compact(cutoff);
          packedBefore = cutoff;
        }
      }
    },

    async readStates() {
      ready();
      return states.readAll();
    },

    async readRecentResults(check, { limit, before }) {
      ready();
      return results.readRecent(check, limit, before);
    },

    async readResults(check, from, to) {
      ready();
      return results.readRange(check, from, to);
    },

    async readRollups(checks, resolution, from, to) {
      ready();
      return rollups.read(checks, resolution, from, to);
    },

    async applyRetention(now, policy) {
      ready();
      return handle.write(() => {
        const ids = names.allIds();
        return {
          rawDeleted: results.deleteBefore(now - policy.rawMs, ids),
          hourlyDeleted: rollups.deleteBefore('hour', now - policy.hourlyMs, ids),
          dailyDeleted: rollups.deleteBefore('day', now - policy.dailyMs, ids),
        };
      });
    },

    async recordHeartbeat(ping) {
      ready();
      credentials.recordHeartbeat(ping);
    },

    async readLastHeartbeat(check) {
      ready();
      return credentials.readLastHeartbeat(check);
    },

    async saveCredential(credential) {
      ready();
      credentials.save(credential);
    },

    async findCredential(scope, hash) {
      ready();
      return credentials.find(scope, hash);
    },

    async listCredentials(scope) {
      ready();
      return credentials.list(scope);
    },

    async revokeCredential(scope, subject, at) {
      ready();
      credentials.revoke(scope, subject, at);
    },

    async saveIncident(incident) {
      ready();
      incidents.save(incident);
    },

    async getIncident(id) {
      ready();
      return incidents.get(id);
    },

    async listIncidents(options = {}) {
      ready();
      return incidents.list(options);
    },

    async deleteIncident(id) {
      ready();
      incidents.delete(id);
    },

    async readAlerts() {
      ready();
      return alerts.readAlerts();
    },

    async applyAlertTransition(transition) {
      ready();
      return alerts.applyTransition(transition);
    },

    async claimNotifications(owner, now, leaseMs, limit) {
      ready();
      return alerts.claim(owner, now, leaseMs, limit);
    },

    async completeNotification(id, outcome) {
      ready();
      alerts.complete(id, outcome);
    },

    async listNotifications(options = {}) {
      ready();
      return alerts.list(options);
    },

    async syncSchedule(entries) {
      ready();
      schedule.sync(entries);
    },

    async claimDueChecks(owner, now, leaseMs, limit) {
      ready();
      return schedule.claim(owner, now, leaseMs, limit);
    },
  };
}
