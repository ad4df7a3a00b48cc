/**
 * What the cluster benchmark asks PostgreSQL: sizes and WAL position before and after the
 * window (bytes per 1,000 results), and the stored results for the exactly-once ledger.
 * One plain `pg` connection of the bench's own, outside every measured window.
 * @module
 */
import pg from 'pg';

/** The tables that grow with results. */
const TABLES = ['results', 'rollups', 'check_states', 'schedule'] as const;

export interface PgSnapshot {
  databaseBytes: number;
  /** pg_total_relation_size (table + indexes + TOAST) per table. */
  tableBytes: Record<string, number>;
  /** Total WAL written so far, bytes (pg_current_wal_lsn as an offset from 0/0). */
  walBytes: number;
  resultRows: number;
}

export interface PgProbe {
  snapshot(): Promise<PgSnapshot>;
  /** Stored results `{ name, at }` with `at` in [from, to). */
  results(from: number, to: number): Promise<{ name: string; at: number }[]>;
  /** The earliest `next_due_at` in the shared schedule: every slot before it has been claimed. */
  earliestDue(): Promise<number>;
  /** Server settings worth printing beside the figures. */
  settings(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function connectPgProbe(url: string): Promise<PgProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async snapshot() {
      const sizes = TABLES.map((t) => `pg_total_relation_size('${t}')::int8 AS "${t}"`).join(', ');
      const { rows } = await client.query(
        `SELECT pg_database_size(current_database())::int8 AS db, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::int8 AS wal,
                (SELECT count(*) FROM results)::int8 AS n, ${sizes}`,
      );
      const row = rows[0] as Record<string, string>;
      return {
        databaseBytes: Number(row.db),
        walBytes: Number(row.wal),
        resultRows: Number(row.n),
        tableBytes: Object.fromEntries(TABLES.map((t) => [t, Number(row[t])])),
      };
    },
    async results(from, to) {
      const { rows } = await client.query(
        'SELECT c.name, r.at::float8 AS at FROM results r JOIN checks c ON c.id = r.check_id WHERE r.at >= $1 AND r.at < $2',
        [from, to],
      );
      return rows as { name: string; at: number }[];
    },
    async earliestDue() {
      const { rows } = await client.query('SELECT coalesce(min(next_due_at), 0)::float8 AS at FROM schedule');
      return (rows[0] as { at: number }).at;
    },
    async settings() {
      const { rows } = await client.query(
        `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_connections')`,
      );
      return Object.fromEntries((rows as { name: string; setting: string }[]).map((r) => [r.name, r.setting]));
    },
    close: () => client.end(),
  };
}
