/**
 * One better-sqlite3 connection with the settings every Upstate SQLite file uses, a cache of
 * prepared statements, and the write-transaction helper the compare-and-set methods rely on.
 * @module
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StartupError } from '../../kernel/startup-error.ts';

/** A prepared statement, typed loosely: each port or table module casts its own rows. */
type Statement = Database.Statement<unknown[], unknown>;

/** The connection as the port and table modules see it. */
export interface SqliteHandle {
  readonly db: Database.Database;
  /** The prepared statement for `sql`, prepared once per connection and reused. */
  stmt(sql: string): Statement;
  /**
   * Runs `fn` inside `BEGIN IMMEDIATE`: the write lock is taken before the first read, so a
   * read-check-write sequence cannot interleave with another connection (other process or
   * another instance in this one). `fn` must be synchronous.
   */
  write<T>(fn: () => T): T;
  /**
   * Runs `fn` in a deferred (read) transaction: several SELECTs see one snapshot, so a read that
   * spans two tables cannot miss rows another connection moves between them meanwhile.
   */
  read<T>(fn: () => T): T;
  close(): void;
}

/** Failure to open or upgrade the database file; keeps the driver error as `cause`. */
export class SqliteStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqliteStoreError';
  }
}

export interface OpenOptions {
  path: string;
  /** How long a writer waits for another connection's lock before failing, ms. */
  busyTimeoutMs?: number;
}

/** `EROFS` → "read-only file system (EROFS)": what an operator needs to read in one line. */
function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EROFS') return 'read-only file system (EROFS)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'ENOTDIR') return `a part of the path is not a directory (ENOTDIR)`;
  if (code === 'ENOSPC') return 'no space left on the device (ENOSPC)';
  return code ? `${code}` : String(message ?? error);
}

/**
 * The directory and the file must be writable before SQLite is asked: after a crash SQLite would
 * open a read-only file happily and only every write would fail; after a clean stop it fails
 * with a driver error. Both become one clear line naming the path.
 */
function checkWritable(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new StartupError(`cannot create the data directory ${dir}: ${describeFsError(cause)}`, { cause });
  }
  for (const [what, target] of [['data directory', dir], ['database file', path]] as const) {
    if (what === 'database file' && !existsSync(target)) continue;
    try {
      accessSync(target, constants.W_OK);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const state = code === 'EROFS' ? 'is read-only' : 'is not writable';
      throw new StartupError(`the ${what} ${target} ${state}: ${describeFsError(cause)}; Upstate must write its database there`, { cause });
    }
  }
}

/** SQLite page cache per connection, KiB (a negative `cache_size` is in KiB). */
const PAGE_CACHE_KIB = 2000;

/** Opens (creating it and its directory if needed) the database file in WAL mode. */
export function openDatabase(options: OpenOptions): SqliteHandle {
  let db: Database.Database;
  if (options.path !== ':memory:' && options.path !== '') checkWritable(options.path);
  try {
    db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    // WAL lets page reads proceed while the writer commits; NORMAL sync is durable across
    // process crashes (only an OS crash can lose the last commits) and much cheaper.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Keep the -wal file from staying at its high-water mark after a burst of writes.
    db.pragma('journal_size_limit = 8388608');
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection (its
    // SQLITE_DEFAULT_CACHE_SIZE=-16000); a large store fills it once (reading every state at
    // start) and it stays resident for the life of the process. SQLite's own default of 2 MB
    // keeps the hot pages (the newest results, the B-tree interior) and the OS caches the rest:
    // at 100,000 checks ~25 MB less RSS, with page queries and write rate unchanged
    // (docs/benchmarks.md, "SQLite page cache").
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  } catch (cause) {
    throw new SqliteStoreError(`cannot open SQLite database ${options.path}`, { cause });
  }
  const statements = new Map<string, Statement>();
  // One transaction wrapper per connection, each call handed its work: `db.transaction(fn)` per
  // write built a fresh wrapper every time (five functions and their properties), ~50 µs of a
  // cold ~120 µs write at 500 checks @ 20 s, where a few write transactions a second each run in
  // cold code. Nesting still works: the wrapper checks `inTransaction` on every call.
  const inTransaction = db.transaction((fn: () => unknown) => fn());
  return {
    db,
    stmt(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql) as Statement;
        statements.set(sql, statement);
      }
      return statement;
    },
    write(fn) {
      return inTransaction.immediate(fn) as ReturnType<typeof fn>;
    },
    read(fn) {
      return inTransaction.deferred(fn) as ReturnType<typeof fn>;
    },
    close() {
      statements.clear();
      if (!db.open) return;
      try {
        // refreshes planner statistics where they drifted; cheap, and only advisory
        db.pragma('optimize');
      } catch {
        // another connection holding a lock must not prevent closing
      }
      db.close();
    },
  };
}
