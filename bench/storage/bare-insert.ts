/**
 * The storage baseline: the same number of rows inserted with plain better-sqlite3 into one
 * table keyed by (check, time), in transactions of the same batch size, WAL mode — what any
 * SQLite writer pays before Upstate adds rollups, states and packing. Runs for a fixed row count
 * and reports rows/s, so Upstate's write rate can be given as a ratio on the same machine.
 * @module
 */
import Database from 'better-sqlite3';

export function bareInsertRate(path: string, checks: number, rows: number, batchSize: number): { rows: number; seconds: number; rate: number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE r (check_id INTEGER NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL, latency REAL NOT NULL, code INTEGER, PRIMARY KEY (check_id, at)) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO r VALUES (?, ?, ?, ?, ?)');
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(i % checks, 1_700_000_000_000 + Math.floor(i / checks) * 60_000, 1, 20 + (i % 200), 200);
  });
  const t = performance.now();
  for (let i = 0; i < rows; i += batchSize) batch(i, Math.min(rows, i + batchSize));
  const seconds = (performance.now() - t) / 1000;
  db.close();
  return { rows, seconds, rate: rows / seconds };
}
