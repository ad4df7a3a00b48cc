/**
 * What every per-port store suite shares: the harness a backend hands in, and small builders
 * for results and states at fixed, hour-aligned times.
 * @module
 */
import { before, after } from 'node:test';
import type { CheckResult } from '../../../src/domain/result.ts';
import type { CheckState } from '../../../src/domain/status.ts';
import type { AlertEvent, Notification } from '../../../src/domain/alert.ts';
import type { LifecyclePort } from '../../../src/storage/store.ts';

/** A store over a fresh, empty data set (own file, database or table), on a real engine. */
export interface PortHarness<S extends LifecyclePort> {
  store: S;
  /** Closes the store and opens a new instance over the same data (persistence check). */
  reopen(): Promise<S>;
  /** Opens a second, independent instance over the same data (concurrency check). */
  second(): Promise<S>;
  cleanup(): Promise<void>;
}

/** Opens a harness; called once per port suite, so each suite starts from empty data. */
export type OpenHarness<S extends LifecyclePort> = () => Promise<PortHarness<S>>;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A fixed, hour-aligned base time so bucket assertions are exact. */
export const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);

export function result(check: string, at: number, status: CheckResult['status'], latencyMs: number, extra: Partial<CheckResult> = {}): CheckResult {
  return { check, at, status, latencyMs, ...extra };
}

/** A pending message of `event` to `channel`, due when written; title and summary default to placeholders. */
export function pendingNotification(id: string, channel: string, createdAt: number, event: Omit<AlertEvent, 'title' | 'summary' | 'at'> & Partial<AlertEvent>): Notification {
  return { id, channel, state: 'pending', attempts: 0, nextAttemptAt: createdAt, createdAt, event: { title: event.kind, summary: 'x', at: createdAt, ...event } };
}

export function state(check: string, status: CheckState['status'], lastResult?: CheckResult): CheckState {
  return { check, status, since: lastResult?.at ?? T0, lastResult, streak: 0 };
}

/**
 * Opens the harness before the suite's cases (migrating twice: `migrate` must be idempotent)
 * and cleans up after them. Returns live accessors: `reopen` replaces the store.
 */
export function useHarness<S extends LifecyclePort>(open: OpenHarness<S>): { harness(): PortHarness<S>; store(): S; reopen(): Promise<S> } {
  let harness: PortHarness<S>;
  let store: S;
  before(async () => {
    harness = await open();
    store = harness.store;
    await store.migrate();
    await store.migrate();
  });
  after(async () => {
    await harness.cleanup();
  });
  return {
    harness: () => harness,
    store: () => store,
    async reopen() {
      store = await harness.reopen();
      return store;
    },
  };
}
