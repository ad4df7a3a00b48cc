/**
 * The state authority: the part of the engine that decides what a check's state is after a
 * batch of results, and publishes the results with those states. Two kinds exist:
 *
 * - memory (`createMemoryStateAuthority`): this process is the only writer (embedded mode,
 *   `upstate check`); states and recent history live in memory, results are batched;
 * - store (`createStoreStateAuthority`): the stored state is the truth (cluster instances, the
 *   serverless checker); every commit reads it, confirms on top of it and publishes at once.
 *
 * An agent confirms nothing (the server does): `createForwardingAuthority` hands its results on.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';

export interface StateAuthority {
  /** Loads what confirmation needs before the first commit. */
  start(): Promise<void>;
  /**
   * Confirms `results[i]` (a result of `checks[i]`), in order, and publishes them with their new
   * states. Memory: queued for the next batch; store: published when the promise resolves.
   */
  commit(checks: readonly Check[], results: readonly CheckResult[]): Promise<void>;
  /** Resolves once everything committed so far has been published. */
  flush(): Promise<void>;
  /**
   * Regions go stale by time alone: recomputes the multi-region `checks` whose regions went stale
   * since their state was written and publishes the changed states. Absent for an authority that
   * owns no states (an agent's), so the engine arms no sweep timer for it.
   */
  sweepStale?(checks: readonly Check[], now: number): Promise<void>;
  /** The latest state this process knows of a check. */
  stateOf(name: string): CheckState | undefined;
  /** Publishes what is pending and releases subscriptions. */
  stop(): Promise<void>;
}
