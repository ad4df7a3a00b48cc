/**
 * The embedded store: one SQLite file through better-sqlite3. Writes are synchronous and short,
 * so the async port methods simply run them; compare-and-set methods use `BEGIN IMMEDIATE`
 * so several processes (or instances) on one file stay correct.
 *
 * It implements the ports embedded mode uses (an `EmbeddedStore`): results, states, alerts,
 * credentials, incidents and heartbeats. It has no shared schedule: embedded mode schedules in
 * process. (Migration 1 still creates a `schedule` table; nothing reads or writes it.)
 * @module
 */
import type { EmbeddedStore } from '../store.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrations.ts';
import { createNameTable } from './names.ts';
import { createSqliteAlerts } from './sqlite-alerts.ts';
import { createSqliteCredentials } from './sqlite-credentials.ts';
import { createSqliteHeartbeats } from './sqlite-heartbeats.ts';
import { createSqliteIncidents } from './sqlite-incidents.ts';
import { createSqliteResults } from './sqlite-results.ts';
import { createSqliteStates } from './sqlite-states.ts';
import { createSqliteSessions } from './sqlite-sessions.ts';
import { createSqliteSubscriptions } from './sqlite-subscriptions.ts';

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
export function createSqliteStore(options: SqliteStoreOptions): EmbeddedStore {
  const handle = openDatabase(options);
  let migrated = false;
  const ready = () => {
    if (!migrated) {
      migrate(handle);
      migrated = true;
    }
  };

  return {
    async migrate() {
      migrate(handle);
      migrated = true;
    },
    async close() {
      handle.close();
    },
    ...createSqliteResults(handle, createNameTable(handle), ready),
    ...createSqliteStates(handle, ready),
    ...createSqliteAlerts(handle, ready),
    ...createSqliteCredentials(handle, ready),
    ...createSqliteIncidents(handle, ready),
    ...createSqliteHeartbeats(handle, ready),
    ...createSqliteSessions(handle, ready),
    ...createSqliteSubscriptions(handle, ready),
  };
}
