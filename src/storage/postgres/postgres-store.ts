/**
 * The PostgreSQL `Store` (cluster mode): several identical instances share one database. It
 * implements every port, one file each (postgres-<port>.ts), including the shared schedule.
 * Writes go to the primary pool; page reads may go to a second pool (e.g. a read replica).
 *
 *   const store = createPostgresStore({ url: 'postgres://…', readUrl: 'postgres://replica…' });
 *   await store.migrate();
 * @module
 */
import type { Store } from '../store.ts';
import { createCheckIds } from './check-ids.ts';
import { runMigrations } from './migrations.ts';
import { createPgPool, type PgPoolLike } from './pg-pool.ts';
import { createPostgresAlerts } from './postgres-alerts.ts';
import { createPostgresCredentials } from './postgres-credentials.ts';
import { createPostgresHeartbeats } from './postgres-heartbeats.ts';
import { createPostgresIncidents } from './postgres-incidents.ts';
import { createPostgresResults } from './postgres-results.ts';
import { createPostgresSchedule } from './postgres-schedule.ts';
import { createPostgresStates } from './postgres-states.ts';
import { createPostgresSessions } from './postgres-sessions.ts';
import { createPostgresSubscriptions } from './postgres-subscriptions.ts';

export interface PostgresStoreOptions {
  /** Primary database; every write and every compare-and-set goes here. */
  url: string;
  /**
   * Optional second database for page reads (states, rollups, recent/raw results, incidents,
   * alerts, notification history). Replication lag shows up as slightly stale pages, never as
   * lost writes.
   */
  readUrl?: string;
  /** A pool to use instead of opening one for `url` (the store then does not end it). */
  pool?: PgPoolLike | (() => PgPoolLike);
  /** A pool to use instead of opening one for `readUrl` (not ended by the store either). */
  readPool?: PgPoolLike | (() => PgPoolLike);
  /** Connections per pool the store opens itself (default 10). */
  maxConnections?: number;
  /**
   * When set, each `recordResults` also sends a LISTEN/NOTIFY notice (see result-notifications.ts)
   * with this origin, inside its transaction, so other instances' live feeds hear about it.
   */
  announceOrigin?: string;
  /** Errors of idle pooled connections (e.g. the server restarted); they are otherwise ignored. */
  onPoolError?: (error: Error) => void;
}

/** Creates the PostgreSQL store. Nothing connects until the first call; call `migrate()` first. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const owned: PgPoolLike[] = [];
  const open = (given: PostgresStoreOptions['pool'], url: string): PgPoolLike => {
    if (given) return typeof given === 'function' ? given() : given;
    const pool = createPgPool(url, { max: options.maxConnections, onError: options.onPoolError });
    owned.push(pool);
    return pool;
  };
  const write = open(options.pool, options.url);
  const read = options.readPool || options.readUrl ? open(options.readPool, options.readUrl ?? options.url) : write;
  const ids = createCheckIds(write);
  let closing: Promise<void> | undefined;

  return {
    async migrate() {
      await runMigrations(write);
    },
    close() {
      // every write is awaited by its caller, so nothing is pending here: just end our pools
      closing ??= Promise.all(owned.map((pool) => pool.end())).then(() => {});
      return closing;
    },
    ...createPostgresResults({ write, read, ids, announceOrigin: options.announceOrigin }),
    ...createPostgresStates({ read }),
    ...createPostgresAlerts({ write, read }),
    ...createPostgresCredentials({ write }),
    ...createPostgresIncidents({ write, read }),
    ...createPostgresHeartbeats({ write, ids }),
    ...createPostgresSchedule({ write }),
    ...createPostgresSessions({ write }),
    ...createPostgresSubscriptions({ write }),
  };
}
