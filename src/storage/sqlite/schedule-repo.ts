/**
 * The shared schedule (cluster mode): checks are claimed with leases, and a claim advances the
 * check's next slot in the same `BEGIN IMMEDIATE` write, so one owner runs it per interval.
 * @module
 */
import type { ClaimedCheck, ScheduleEntry } from '../store.ts';
import type { SqliteHandle } from './database.ts';

interface ScheduleRow {
  check_name: string;
  interval_ms: number;
  next_due_at: number;
}

export interface ScheduleRepo {
  sync(entries: readonly ScheduleEntry[]): void;
  claim(owner: string, now: number, leaseMs: number, limit: number): ClaimedCheck[];
}

export function createScheduleRepo(handle: SqliteHandle): ScheduleRepo {
  return {
    sync(entries) {
      handle.write(() => {
        const wanted = new Set(entries.map((e) => e.check));
        const existing = handle.stmt('SELECT check_name FROM schedule').all() as { check_name: string }[];
        const remove = handle.stmt('DELETE FROM schedule WHERE check_name = ?');
        for (const { check_name } of existing) if (!wanted.has(check_name)) remove.run(check_name);
        const upsert = handle.stmt(
          `INSERT INTO schedule (check_name, interval_ms, next_due_at) VALUES (?, ?, ?)
           ON CONFLICT (check_name) DO UPDATE SET interval_ms = excluded.interval_ms`,
        );
        for (const entry of entries) upsert.run(entry.check, entry.intervalMs, entry.nextDueAt);
      });
    },

    claim(owner, now, leaseMs, limit) {
      if (limit <= 0) return [];
      return handle.write(() => {
        const rows = handle
          .stmt(
            `SELECT check_name, interval_ms, next_due_at FROM schedule
             WHERE next_due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
             ORDER BY next_due_at, check_name LIMIT ?`,
          )
          .all(now, now, limit) as ScheduleRow[];
        const advance = handle.stmt(
          'UPDATE schedule SET next_due_at = ?, lease_owner = ?, lease_until = ? WHERE check_name = ?',
        );
        return rows.map((row) => {
          const interval = Math.max(1, row.interval_ms);
          // the latest slot at or before now in the check's phase: after an outage the check
          // runs once, not once per missed interval
          const dueAt = row.next_due_at + Math.floor((now - row.next_due_at) / interval) * interval;
          const leaseUntil = now + leaseMs;
          advance.run(dueAt + interval, owner, leaseUntil, row.check_name);
          return { check: row.check_name, dueAt, leaseUntil };
        });
      });
    },
  };
}
