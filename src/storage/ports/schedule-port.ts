/**
 * The schedule port: the shared schedule that cluster and serverless modes claim due checks
 * from. Embedded mode schedules in process and has no such port.
 * @module
 */

/** A check's place in the shared schedule (cluster and serverless modes). */
export interface ScheduleEntry {
  check: string;
  intervalMs: number;
  /** Next time the check is due, epoch ms. */
  nextDueAt: number;
}

/** A due check claimed by one instance until `leaseUntil`. */
export interface ClaimedCheck {
  check: string;
  dueAt: number;
  leaseUntil: number;
}

/** The shared, leased schedule. */
export interface SchedulePort {
  /**
   * Makes the schedule match the configured checks: adds new ones (with the given nextDueAt),
   * moves a check whose interval changed to the given nextDueAt (the old one may be a whole old
   * interval away, off the new phase), keeps the nextDueAt of unchanged ones, drops removed ones.
   */
  syncSchedule(entries: readonly ScheduleEntry[]): Promise<void>;
  /**
   * Claims up to `limit` checks due at `now` (nextDueAt <= now, lease free or expired) for `owner`.
   * In the same write each claimed check's nextDueAt advances to the first slot after `now` in
   * its phase (dueAt + k·interval), so a check is claimed by exactly one owner per interval and a
   * long outage does not cause a burst of catch-up runs. `dueAt` is the slot that was claimed.
   * (DynamoDB keeps the same guarantees with one claim cursor per partition instead of moving
   * each check's nextDueAt: see storage/dynamodb/dynamodb-schedule.ts.)
   */
  claimDueChecks(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedCheck[]>;
  /**
   * The store's own time, epoch ms: the one clock every claimer shares, so instances measure
   * their offset to it and claim, lease and judge staleness by it (PostgreSQL: `clock_timestamp()`).
   * A store without a clock of its own (DynamoDB) answers with the caller's.
   */
  readClock(): Promise<number>;
}
