/**
 * Versioned schema of the PostgreSQL store. Each migration runs once, in order, recorded in
 * `schema_migrations`; all of them run in one transaction that first takes an advisory lock, so
 * several instances starting at once apply each migration exactly once and never see half a schema.
 *
 * Layout choices (storage is benchmarked):
 * - check names are interned into `checks` and referenced by an int4 id everywhere raw history lives;
 * - raw results are narrow rows (status as int2, epoch ms as int8) with the rare fields in one
 *   compact JSON column; a BRIN index on `at` serves retention without a second B-tree;
 * - page-path reads go through (check_id, at) / rollup primary keys, so their cost depends on the
 *   rows returned, never on history length.
 * @module
 */
import { withTransaction, type PgPoolLike } from './pg-pool.ts';

/** Arbitrary constant shared by every Upstate instance: "upstate migrations". */
const MIGRATION_LOCK = 0x75707374;

/** Append-only: never edit a released migration, add a new version instead. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE checks (
        id int4 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE
      );

      CREATE TABLE results (
        at int8 NOT NULL,
        latency_ms float8 NOT NULL,
        check_id int4 NOT NULL,
        status int2 NOT NULL,
        status_code int2,
        extra json
      );
      CREATE INDEX results_check_at ON results (check_id, at);
      CREATE INDEX results_at_brin ON results USING brin (at);

      CREATE TABLE rollups (
        check_id int4 NOT NULL,
        resolution int2 NOT NULL,
        start int8 NOT NULL,
        latency_sum float8 NOT NULL,
        latency_min float8 NOT NULL,
        latency_max float8 NOT NULL,
        count int4 NOT NULL,
        ok int4 NOT NULL,
        http4xx int4 NOT NULL,
        http429 int4 NOT NULL,
        http5xx int4 NOT NULL,
        histogram int4[] NOT NULL,
        PRIMARY KEY (check_id, resolution, start)
      );
      CREATE INDEX rollups_retention ON rollups (resolution, start);

      CREATE TABLE check_states (
        check_id int4 PRIMARY KEY,
        status text NOT NULL,
        since int8 NOT NULL,
        streak int4 NOT NULL,
        last_result json
      );

      CREATE TABLE heartbeats (
        check_id int4 PRIMARY KEY,
        at int8 NOT NULL,
        ok boolean NOT NULL,
        message text
      );

      CREATE TABLE credentials (
        scope text NOT NULL,
        subject text NOT NULL,
        hash text NOT NULL,
        created_at int8 NOT NULL,
        revoked_at int8,
        PRIMARY KEY (scope, subject)
      );
      CREATE INDEX credentials_hash ON credentials (scope, hash);

      CREATE TABLE incidents (
        id text PRIMARY KEY,
        created_at int8 NOT NULL,
        updated_at int8 NOT NULL,
        body json NOT NULL
      );
      CREATE INDEX incidents_created ON incidents (created_at DESC, id DESC);

      CREATE TABLE alerts (
        key text PRIMARY KEY,
        version int4 NOT NULL,
        body json NOT NULL
      );

      CREATE TABLE notifications (
        id text PRIMARY KEY,
        check_name text NOT NULL,
        channel text NOT NULL,
        state text NOT NULL,
        attempts int4 NOT NULL,
        next_attempt_at int8 NOT NULL,
        created_at int8 NOT NULL,
        sent_at int8,
        last_error text,
        lease_owner text,
        lease_until int8,
        event json NOT NULL
      );
      CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX notifications_history ON notifications (check_name, created_at DESC);
      CREATE INDEX notifications_created ON notifications (created_at DESC);

      CREATE TABLE schedule (
        check_name text PRIMARY KEY,
        interval_ms int8 NOT NULL,
        next_due_at int8 NOT NULL,
        lease_owner text,
        lease_until int8
      );
      CREATE INDEX schedule_due ON schedule (next_due_at);
    `,
  },
  {
    version: 2,
    name: 'per-region check state',
    sql: `ALTER TABLE check_states ADD COLUMN regions json;`,
  },
  {
    version: 3,
    name: 'last failure in check state',
    sql: `ALTER TABLE check_states ADD COLUMN last_failure json;`,
  },
  {
    version: 4,
    name: 'degraded and maintenance counts in rollups',
    sql: `ALTER TABLE rollups ADD COLUMN degraded int4 NOT NULL DEFAULT 0, ADD COLUMN maintenance int4 NOT NULL DEFAULT 0;`,
  },
  {
    version: 5,
    name: 'admin sessions',
    sql: `
      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        subject text NOT NULL,
        created_at int8 NOT NULL,
        expires_at int8 NOT NULL
      );
      CREATE INDEX sessions_expiry ON sessions (expires_at);
    `,
  },
  {
    version: 6,
    name: 'alert silences',
    sql: `
      CREATE TABLE silences (id text PRIMARY KEY, ends_at int8 NOT NULL, created_at int8 NOT NULL, body json NOT NULL);
      CREATE INDEX silences_by_end ON silences (ends_at);
    `,
  },
  {
    version: 7,
    name: 'email subscribers',
    sql: `
      CREATE TABLE subscribers (id text PRIMARY KEY, confirmed boolean NOT NULL, confirm_expires_at int8, body jsonb NOT NULL);
      CREATE INDEX subscribers_pending ON subscribers (confirmed, confirm_expires_at);
      CREATE TABLE notice_claims (key text PRIMARY KEY, at int8 NOT NULL);
    `,
  },
];

/** Applies every migration not yet recorded; safe to call concurrently from several processes. */
export async function runMigrations(pool: PgPoolLike): Promise<number[]> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int4 PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const ran: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      ran.push(migration.version);
    }
    return ran;
  });
}
