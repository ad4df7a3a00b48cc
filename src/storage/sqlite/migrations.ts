/**
 * Versioned schema migrations. Each step runs once, in order, inside one `BEGIN IMMEDIATE`
 * transaction together with its `schema_migrations` row, so two processes opening the same file
 * at once serialise: the second sees the versions the first recorded and applies nothing.
 * Never edit a released step; append a new one.
 * @module
 */
import type { SqliteHandle } from './database.ts';
import { SqliteStoreError } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const ROLLUP_COLUMNS = `
  check_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL, -- start / bucket size: 3 bytes instead of 6 for epoch ms
  count INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  latency_sum INTEGER NOT NULL,
  latency_min INTEGER, -- NULL when nothing was counted (the domain's +Infinity)
  latency_max INTEGER NOT NULL,
  histogram BLOB NOT NULL, -- sparse (index, varint count) pairs, see rollup-codec.ts
  http4xx INTEGER NOT NULL,
  http429 INTEGER NOT NULL,
  http5xx INTEGER NOT NULL,
  PRIMARY KEY (check_id, bucket)`;

/** The schema history, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      -- Check and region names, interned so history rows carry a small integer instead.
      CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

      -- Raw results of the open hours, one row each; closed hours move to result_blocks.
      CREATE TABLE results_recent (
        check_id INTEGER NOT NULL,
        at INTEGER NOT NULL,
        region_id INTEGER NOT NULL, -- 0 when the result names no region
        code INTEGER NOT NULL,      -- status | maintenance | failure class, see result-codec.ts
        latency INTEGER NOT NULL,
        http INTEGER,
        t_dns INTEGER,              -- timings as columns (NULL = phase absent; t_total NULL = latency)
        t_connect INTEGER,
        t_tls INTEGER,
        t_first_byte INTEGER,
        t_total INTEGER,
        extra TEXT,                 -- JSON of the rare fields (failure message, timings, details)
        PRIMARY KEY (check_id, at, region_id)
      ) WITHOUT ROWID;

      -- Raw results of one check for one closed hour, packed and deflated. A rowid table because
      -- blocks exceed the ~1 kB a WITHOUT ROWID row keeps in-page.
      CREATE TABLE result_blocks (
        check_id INTEGER NOT NULL,
        hour INTEGER NOT NULL, -- hour start / 3600000
        n INTEGER NOT NULL,    -- results in the block
        data BLOB NOT NULL,
        PRIMARY KEY (check_id, hour)
      );

      CREATE TABLE rollups_hour (${ROLLUP_COLUMNS}) WITHOUT ROWID;
      CREATE TABLE rollups_day (${ROLLUP_COLUMNS}) WITHOUT ROWID;

      CREATE TABLE states (check_id INTEGER PRIMARY KEY, data TEXT NOT NULL);

      -- Only the latest ping per check is needed.
      CREATE TABLE heartbeats (
        check_name TEXT PRIMARY KEY,
        at INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        message TEXT
      );

      CREATE TABLE credentials (
        scope TEXT NOT NULL,
        subject TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        PRIMARY KEY (scope, subject)
      );
      CREATE INDEX credentials_by_hash ON credentials (scope, hash);

      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX incidents_by_created ON incidents (created_at, id);

      CREATE TABLE alerts (key TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);

      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        check_name TEXT NOT NULL,
        channel TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        last_error TEXT,
        lease_owner TEXT,
        lease_until INTEGER,
        event TEXT NOT NULL
      );
      CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
      CREATE INDEX notifications_by_check ON notifications (check_name, created_at, id);
      CREATE INDEX notifications_by_created ON notifications (created_at, id);

      -- Unused: embedded mode schedules in process and the SQLite store has no schedule port.
      -- Kept because this step is released; dropping it would take a migration of its own.
      CREATE TABLE schedule (
        check_name TEXT PRIMARY KEY,
        interval_ms INTEGER NOT NULL,
        next_due_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER
      );
      CREATE INDEX schedule_due ON schedule (next_due_at);
    `,
  },
  {
    version: 2,
    name: 'rollup latencies in hundredths of a millisecond',
    // integers take 1–4 bytes where fractional REALs took 8 (see rollup-table.ts)
    sql: ['rollups_hour', 'rollups_day']
      .map(
        (table) => `UPDATE ${table} SET latency_sum = round(latency_sum * 100), latency_min = round(latency_min * 100),
          latency_max = round(latency_max * 100);`,
      )
      .join('\n'),
  },
  {
    version: 3,
    name: 'degraded and maintenance counts in rollups',
    // The 90-day history shows slow days and maintenance days; older rows read as none of either.
    sql: `
      ALTER TABLE rollups_hour ADD COLUMN degraded INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollups_hour ADD COLUMN maintenance INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollups_day ADD COLUMN degraded INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rollups_day ADD COLUMN maintenance INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    name: 'admin sessions',
    sql: `
      -- Signed-in admin sessions; only the SHA-256 of the id in the cookie is kept.
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_expiry ON sessions (expires_at);
    `,
  },
  {
    version: 5,
    name: 'alert silences',
    sql: `
      CREATE TABLE silences (id TEXT PRIMARY KEY, ends_at INTEGER NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE INDEX silences_by_end ON silences (ends_at);
    `,
  },
  {
    version: 6,
    name: 'email subscribers',
    sql: `
      -- One row per address; the record is JSON, confirmation tokens only as their SHA-256.
      CREATE TABLE subscribers (id TEXT PRIMARY KEY, confirmed INTEGER NOT NULL, confirm_expires_at INTEGER, data TEXT NOT NULL);
      CREATE INDEX subscribers_pending ON subscribers (confirmed, confirm_expires_at);
      -- Notices sent once whichever instance or path saw them first (maintenance start and end).
      CREATE TABLE notice_claims (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
    `,
  },
  {
    version: 7,
    name: 'outbox order columns',
    // A claim skips a message while an earlier one of its alert to its channel is pending. Read
    // from the event JSON that was a scan of every pending row per candidate (a claim at 10,000
    // pending took 33 CPU-s); as columns under a partial index it is one index lookup.
    sql: `
      ALTER TABLE notifications ADD COLUMN alert_key TEXT;
      ALTER TABLE notifications ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
      UPDATE notifications SET alert_key = json_extract(event, '$.key'), sequence = coalesce(json_extract(event, '$.sequence'), 0);
      CREATE INDEX notifications_pending_by_alert ON notifications (channel, alert_key, sequence, created_at, id) WHERE state = 'pending';
    `,
  },
];

/**
 * Applies every migration newer than the file's version. Returns the versions applied (empty
 * when the file was already current).
 */
export function migrate(handle: SqliteHandle, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const { db } = handle;
  try {
    return handle.write(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      )`);
      const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
      const current = row.version ?? 0;
      const applied: number[] = [];
      for (const migration of migrations) {
        if (migration.version <= current) continue;
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          Date.now(),
        );
        applied.push(migration.version);
      }
      return applied;
    });
  } catch (cause) {
    throw new SqliteStoreError('SQLite schema migration failed', { cause });
  }
}
