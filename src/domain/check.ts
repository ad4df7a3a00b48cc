/**
 * A configured check after validation and defaults: everything the scheduler and the status
 * model need, with durations in milliseconds. The probe's own config stays typed by its kind.
 * @module
 */

/** Consecutive-result rules before the confirmed status changes. */
export interface Confirmation {
  /** Down after `count` failures among the last `of` results (`of === count` means consecutive). */
  downAfter: { count: number; of: number };
  /** Back up after this many consecutive successes. */
  upAfter: number;
}

export interface Check {
  /** Unique, stable identity (ids in APIs are derived from it). */
  name: string;
  group?: string;
  description?: string;
  intervalMs: number;
  timeoutMs: number;
  /** A successful result slower than this is `degraded`. */
  degradedAfterMs?: number;
  confirm: Confirmation;
  /** Condition texts; compiled at config load, evaluated on every outcome. */
  conditions: string[];
  /** Probe kind (a key of the probe registry) and that kind's validated config. */
  kind: string;
  probe: unknown;
  /** Display string of the target (URL, host:port) — never contains secrets. */
  target: string;
  /** Public outputs show the target (without query string); by default they never do. */
  showTarget?: boolean;
  /** Regions that run this check ('local' is this instance) and how many must agree on down. */
  regions: string[];
  quorum: number;
  /** Check or group names this check depends on (alerting: a dependency down mutes its alerts). */
  dependsOn?: string[];
}
