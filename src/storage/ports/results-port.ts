/**
 * The results port: raw results, their hourly/daily rollups and retention. `recordResults` also
 * lands the confirmed states of the batch, because results and states must be written together
 * (see `StatesPort` for reading them).
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import type { Resolution, Rollup } from '../../domain/rollup.ts';

/** A batch to record: raw results plus the confirmed states they produced. */
export interface ResultBatch {
  results: CheckResult[];
  /** New state for every check that appears in `results` (and possibly others). */
  states: CheckState[];
  /**
   * Set when other writers may change the same states meanwhile (cluster instances, Lambda
   * containers): the backend reads each stored state under a lock (row lock, write transaction
   * or compare-and-set), stores `merge(stored, state)` instead of `state`, and puts the merged
   * state into `states` in its place, so listeners after the store writer see what was stored.
   * Without it, a state replaces the stored one unless that rests on a newer result.
   */
  merge?: StateMerge;
}

/** Combines a state confirmed on an earlier read with the state stored now (see `ResultBatch.merge`). */
export type StateMerge = (stored: CheckState | undefined, incoming: CheckState) => CheckState;

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

/** Raw results, rollups and retention. */
export interface ResultsPort {
  /** Stores raw results, merges them into hourly/daily rollups and saves the states, atomically. */
  recordResults(batch: ResultBatch): Promise<void>;
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
}
