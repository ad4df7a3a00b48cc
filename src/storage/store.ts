/**
 * The one storage interface, in domain words. SQLite (embedded), PostgreSQL (cluster) and
 * DynamoDB (serverless) implement it and pass the same suite (storage/store-suite.ts).
 *
 * Rules every implementation keeps:
 * - Reads on the page path never scan raw history: uptime and latency come from rollups.
 * - `recordResults` lands results, their rollups and the new states together: in one transaction
 *   where the engine has them (SQLite, PostgreSQL); on DynamoDB in a crash-safe order (raw
 *   results, then rollups, then states), so a state never points at results that are missing.
 * - Compare-and-set methods (`applyAlertTransition`, `claimDueChecks`, `claimNotifications`) are
 *   safe when several processes call them at once: exactly one caller wins.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { Resolution, Rollup } from '../domain/rollup.ts';
import type { Incident } from '../domain/incident.ts';
import type { AlertRecord, AlertTransition, Notification } from '../domain/alert.ts';

/** A batch to record: raw results plus the confirmed states they produced. */
export interface ResultBatch {
  results: CheckResult[];
  /** New state for every check that appears in `results` (and possibly others). */
  states: CheckState[];
}

/** How long each kind of history is kept. */
export interface RetentionPolicy {
  rawMs: number;
  hourlyMs: number;
  dailyMs: number;
}

/** What a retention run removed. */
export interface RetentionReport {
  rawDeleted: number;
  hourlyDeleted: number;
  dailyDeleted: number;
}

/** A received heartbeat ping (push check). */
export interface HeartbeatPing {
  check: string;
  at: number;
  ok: boolean;
  message?: string;
}

/** A hashed credential: heartbeat tokens, admin tokens, probe-agent tokens. */
export interface Credential {
  scope: 'heartbeat' | 'admin' | 'agent';
  /** What it belongs to: the check name, admin token name, or agent name/region. */
  subject: string;
  /** Hex SHA-256 of the secret; the secret itself is never stored. */
  hash: string;
  createdAt: number;
  revokedAt?: number;
}

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

export interface Store {
  /** Creates or upgrades the schema; idempotent, safe to call from several processes. */
  migrate(): Promise<void>;
  /** Releases connections/handles. Pending writes are flushed first. */
  close(): Promise<void>;

  // ── results and status ────────────────────────────────────────────────────────────────────
  /** Stores raw results, merges them into hourly/daily rollups and saves the states, atomically. */
  recordResults(batch: ResultBatch): Promise<void>;
  /** Current state of every check that has one. */
  readStates(): Promise<CheckState[]>;
  /** Newest first, at most `limit`, optionally only results older than `before`. */
  readRecentResults(check: string, options: { limit: number; before?: number }): Promise<CheckResult[]>;
  /** Raw results of one check with `from <= at < to`, oldest first (bounded by raw retention). */
  readResults(check: string, from: number, to: number): Promise<CheckResult[]>;
  /**
   * Rollups of the given checks with `from <= start < to`, oldest first. Missing buckets are
   * simply absent. Cost depends on the number of buckets, never on raw history.
   */
  readRollups(checks: readonly string[], resolution: Resolution, from: number, to: number): Promise<Rollup[]>;
  /** Deletes raw results and rollups older than the policy allows (relative to `now`). */
  applyRetention(now: number, policy: RetentionPolicy): Promise<RetentionReport>;

  // ── heartbeats and credentials ────────────────────────────────────────────────────────────
  recordHeartbeat(ping: HeartbeatPing): Promise<void>;
  readLastHeartbeat(check: string): Promise<HeartbeatPing | undefined>;
  /** Inserts or replaces the credential for (scope, subject). */
  saveCredential(credential: Credential): Promise<void>;
  /** Looks up a non-revoked credential by hash; undefined when none matches. */
  findCredential(scope: Credential['scope'], hash: string): Promise<Credential | undefined>;
  listCredentials(scope: Credential['scope']): Promise<Credential[]>;
  revokeCredential(scope: Credential['scope'], subject: string, at: number): Promise<void>;

  // ── incidents and maintenance ─────────────────────────────────────────────────────────────
  /** Inserts or replaces an incident by id. */
  saveIncident(incident: Incident): Promise<void>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest first (by createdAt); `since` filters on updatedAt. */
  listIncidents(options?: { since?: number; limit?: number }): Promise<Incident[]>;
  deleteIncident(id: string): Promise<void>;

  // ── alerts and the notification outbox ───────────────────────────────────────────────────
  readAlerts(): Promise<AlertRecord[]>;
  /**
   * Writes `transition.record` and enqueues its notifications atomically, only if the stored
   * version equals `fromVersion`. Returns false (writing nothing) when another writer got there first.
   */
  applyAlertTransition(transition: AlertTransition): Promise<boolean>;
  /**
   * Claims up to `limit` pending notifications whose `nextAttemptAt <= now` for `owner` until
   * `now + leaseMs`; a claimed notification is not returned to another owner before its lease ends.
   */
  claimNotifications(owner: string, now: number, leaseMs: number, limit: number): Promise<Notification[]>;
  /**
   * Records the outcome of one delivery attempt (`attempts` counts completed attempts, not claims):
   * confirmed (never claimed again); failed with `retryAt` (stays pending, claimable from then);
   * failed without `retryAt` (given up: state `failed`).
   */
  completeNotification(id: string, outcome: { sentAt: number } | { error: string; retryAt?: number }): Promise<void>;
  /** Notifications newest first, optionally of one check, for alert history. */
  listNotifications(options?: { check?: string; limit?: number }): Promise<Notification[]>;

  // ── shared schedule (cluster/serverless) ──────────────────────────────────────────────────
  /**
   * Makes the schedule match the configured checks: adds new ones (with the given nextDueAt),
   * updates intervals of existing ones (keeping their nextDueAt), drops removed ones.
   */
  syncSchedule(entries: readonly ScheduleEntry[]): Promise<void>;
  /**
   * Claims up to `limit` checks due at `now` (nextDueAt <= now, lease free or expired) for `owner`.
   * In the same write each claimed check's nextDueAt advances to the first slot after `now` in
   * its phase (dueAt + k·interval), so a check is claimed by exactly one owner per interval and a
   * long outage does not cause a burst of catch-up runs. `dueAt` is the slot that was claimed.
   */
  claimDueChecks(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedCheck[]>;
}
