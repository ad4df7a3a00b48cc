/**
 * Collects results into batches and publishes each batch on the bus once: every `flushMs` or
 * as soon as `maxBatch` results are waiting. One store transaction per batch is what lets the
 * embedded store keep up with 100,000 checks a minute.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import type { Clock } from '../kernel/clock.ts';

export interface ResultBatcher {
  add(result: CheckResult, state: CheckState): void;
  /** Publishes whatever is waiting; resolves when the bus listeners are done. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

export function createResultBatcher(deps: { bus: ResultBus; clock: Clock; flushMs?: number; maxBatch?: number }): ResultBatcher {
  const flushMs = deps.flushMs ?? 1000;
  const maxBatch = deps.maxBatch ?? 2000;
  let results: CheckResult[] = [];
  let states = new Map<string, CheckState>();
  let timer: unknown;
  let flushing: Promise<void> = Promise.resolve();

  function schedule(): void {
    if (timer === undefined) timer = deps.clock.setTimeout(() => void flush(), flushMs);
  }

  function flush(): Promise<void> {
    if (timer !== undefined) deps.clock.clearTimeout(timer);
    timer = undefined;
    if (!results.length) return flushing;
    const event = { results, states: [...states.values()] };
    results = [];
    states = new Map();
    // batches are published strictly in order, so states never go backwards in the store
    flushing = flushing.then(() => deps.bus.publish(event));
    return flushing;
  }

  return {
    add(result, state) {
      results.push(result);
      states.set(state.check, state);
      if (results.length >= maxBatch) void flush();
      else schedule();
    },
    flush,
    async close() {
      await flush();
    },
  };
}
