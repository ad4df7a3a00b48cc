/**
 * The slice of `pg` the PostgreSQL store uses, described as small interfaces (the way kysely
 * describes drivers) so the store never depends on pg's types, plus the pool factory and the
 * transaction helper.
 * @module
 */
import pg from 'pg';

/** A row as the driver returns it. */
export type PgRow = Record<string, unknown>;

/** What a query resolves to: the rows and, for writes, how many rows were affected. */
export interface PgQueryResult<R extends PgRow = PgRow> {
  rows: R[];
  rowCount: number | null;
}

/** Anything that runs a parameterised query: a pool or a checked-out connection. */
export interface PgQueryable {
  query<R extends PgRow = PgRow>(text: string, values?: unknown[]): Promise<PgQueryResult<R>>;
}

/** A connection checked out of a pool; `release` hands it back (or discards it on error). */
interface PgClientLike extends PgQueryable {
  release(error?: Error | boolean): void;
}

/** The subset of `pg.Pool` the store needs (pg.Pool satisfies it). */
export interface PgPoolLike extends PgQueryable {
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Type parsers for this store's connections only (pg's `types.setTypeParser` is process-global):
 * epoch-ms timestamps are `bigint` columns and sums are `numeric`, both well inside 2^53.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Options for pools the store creates itself. */
export interface PgPoolOptions {
  /** Maximum connections (default 10). */
  max?: number;
  /** Receives errors of idle connections (a restarted server); without a listener pg would crash the process. */
  onError?: (error: Error) => void;
}

/** Creates a `pg.Pool` for `url` with this store's type parsing. */
export function createPgPool(url: string, options: PgPoolOptions = {}): PgPoolLike {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', options.onError ?? (() => {}));
  return pool;
}

/** Creates a single `pg.Client` (used for LISTEN, which needs one long-lived session). */
export function createPgClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, types, connectionTimeoutMillis: 10_000 });
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws. A connection whose rollback failed is discarded rather than returned to the pool.
 */
export async function withTransaction<T>(pool: PgPoolLike, work: (client: PgQueryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    client.release();
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch {
      client.release(true);
    }
    throw error;
  }
}
