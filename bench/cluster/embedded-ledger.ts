/**
 * The embedded comparison's exactly-once ledger, read from its SQLite file after it stopped.
 * Recent results sit in `results_recent` until their hour is packed into a block (after the hour
 * closes), so a window of a few minutes is all there.
 * @module
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { slotLedger, type Ledger } from './slot-ledger.ts';

export function embeddedLedger(dataDir: string, names: readonly string[], intervalMs: number, from: number, to: number): Ledger {
  const db = new Database(join(dataDir, 'upstate.db'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT n.name AS name, r.at AS at FROM results_recent r JOIN names n ON n.id = r.check_id WHERE r.at >= ? AND r.at < ?')
      .all(from - intervalMs, to + intervalMs) as { name: string; at: number }[];
    return slotLedger(names, rows, intervalMs, from, to);
  } finally {
    db.close();
  }
}
