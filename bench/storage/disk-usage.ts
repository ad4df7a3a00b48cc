/**
 * What the SQLite file costs on disk: the WAL is checkpointed (TRUNCATE) through a separate
 * connection first, then the main file, -wal and -shm are measured, and per-table sizes come from
 * the `dbstat` virtual table when the SQLite build has it.
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface DiskUsage {
  fileBytes: number;
  walBytes: number;
  shmBytes: number;
  totalBytes: number;
  pageSize: number;
  pages: number;
  freePages: number;
  /** Bytes per table/index (dbstat), largest first; empty when dbstat is unavailable. */
  tables: { name: string; bytes: number }[];
}

const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);

export function diskUsage(path: string): DiskUsage {
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const freePages = db.pragma('freelist_count', { simple: true }) as number;
    let tables: { name: string; bytes: number }[] = [];
    try {
      tables = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as typeof tables;
    } catch {
      tables = [];
    }
    const fileBytes = sizeOf(path);
    const walBytes = sizeOf(`${path}-wal`);
    const shmBytes = sizeOf(`${path}-shm`);
    return { fileBytes, walBytes, shmBytes, totalBytes: fileBytes + walBytes + shmBytes, pageSize, pages, freePages, tables };
  } finally {
    db.close();
  }
}

/**
 * How much longer minute-rate rollup rows are than the coarse-rate ones the fast-forward wrote:
 * compares the average stored row (histogram blob + integer columns) of hours/days inside the
 * minute-rate window with those before it, and returns the bytes the coarse rows would gain.
 */
export function rollupSizeGap(path: string, minuteRateFrom: number): { hourGapBytes: number; dayGapBytes: number; extraBytes: number } {
  const db = new Database(path, { readonly: true });
  try {
    // length() of an integer is the length of its text form; the record format stores 1–8 bytes,
    // so text length is a fair upper bound of the growth from 1-digit to 4-digit counts
    const rowBytes = 'avg(length(histogram) + length(count) + length(ok) + length(latency_sum))';
    const gap = (table: string, size: number, fullBuckets: string) => {
      const from = Math.ceil(minuteRateFrom / size);
      const fine = db.prepare(`SELECT ${rowBytes} AS b FROM ${table} WHERE bucket >= ? AND ${fullBuckets}`).get(from) as { b: number | null };
      const coarse = db.prepare(`SELECT ${rowBytes} AS b, count(*) AS n FROM ${table} WHERE bucket < ?`).get(from) as { b: number | null; n: number };
      const perRow = Math.max(0, (fine.b ?? 0) - (coarse.b ?? 0));
      return { perRow, extra: perRow * coarse.n };
    };
    // only complete buckets are compared: the newest (open) hour/day holds fewer results
    const hour = gap('rollups_hour', 3_600_000, `bucket < ${Math.floor(Date.now() / 3_600_000)}`);
    const day = gap('rollups_day', 86_400_000, `bucket < ${Math.floor(Date.now() / 86_400_000)}`);
    return { hourGapBytes: hour.perRow, dayGapBytes: day.perRow, extraBytes: hour.extra + day.extra };
  } finally {
    db.close();
  }
}
