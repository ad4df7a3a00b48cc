/**
 * The shared schedule of cluster mode in PostgreSQL. Each instance claims due checks with
 * `FOR UPDATE SKIP LOCKED` and advances their next due time in the same statement, so a check is
 * run by exactly one instance per interval and a dead instance's checks are claimable again once
 * their lease ends.
 * @module
 */
import type { ClaimedCheck, ScheduleEntry, SchedulePort } from '../ports/schedule-port.ts';
import { withTransaction, type PgPoolLike } from './pg-pool.ts';

/** Serialises concurrent `syncSchedule` calls ("upstate schedule"). */
const SCHEDULE_LOCK = 0x75707363;

/** The schedule port on PostgreSQL. */
export function createPostgresSchedule({ write }: { write: PgPoolLike }): SchedulePort {
  return {
    async syncSchedule(entries: readonly ScheduleEntry[]) {
      const sorted = [...entries].sort((a, b) => (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
      await withTransaction(write, async (tx) => {
        // instances starting together all sync; one at a time keeps their upserts and deletes apart
        await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEDULE_LOCK]);
        await tx.query(
          `INSERT INTO schedule (check_name, interval_ms, next_due_at)
           SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[])
           ON CONFLICT (check_name) DO UPDATE SET interval_ms = excluded.interval_ms,
             -- a changed interval starts at its own next slot (every instance derives the phase from
             -- the interval); an unchanged one keeps its stored slot, which claims have moved on
             next_due_at = CASE WHEN schedule.interval_ms = excluded.interval_ms THEN schedule.next_due_at ELSE excluded.next_due_at END`,
          [sorted.map((e) => e.check), sorted.map((e) => e.intervalMs), sorted.map((e) => e.nextDueAt)],
        );
        await tx.query('DELETE FROM schedule WHERE NOT (check_name = ANY($1::text[]))', [sorted.map((e) => e.check)]);
      });
    },

    async readClock() {
      // clock_timestamp(), not now(): now() is the start of the transaction
      const { rows } = await write.query<{ ms: number }>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::int8 AS ms`);
      return rows[0].ms;
    },

    async claimDueChecks(owner, now, leaseMs, limit): Promise<ClaimedCheck[]> {
      // slot = the latest due time <= now in the check's phase; next_due_at moves one interval past it
      const { rows } = await write.query<{ check_name: string; slot: number; lease_until: number }>(
        `WITH due AS (
           SELECT check_name, next_due_at + ((($1::int8 - next_due_at) / greatest(interval_ms, 1)) * interval_ms) AS slot
             FROM schedule
            WHERE next_due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
            ORDER BY next_due_at, check_name
            LIMIT $4
              FOR UPDATE SKIP LOCKED)
         UPDATE schedule s
            SET next_due_at = due.slot + greatest(s.interval_ms, 1), lease_owner = $2, lease_until = $1 + $3::int8
           FROM due
          WHERE s.check_name = due.check_name
        RETURNING s.check_name, due.slot, s.lease_until`,
        [now, owner, leaseMs, limit],
      );
      return rows
        .map((row) => ({ check: row.check_name, dueAt: row.slot, leaseUntil: row.lease_until }))
        .sort((a, b) => a.dueAt - b.dueAt || (a.check < b.check ? -1 : 1));
    },
  };
}
