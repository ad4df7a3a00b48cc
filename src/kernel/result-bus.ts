/**
 * The in-process result bus: the scheduler publishes each batch of results once; the store
 * writer, the alert evaluator and the live page feed subscribe. Listeners run in order and a
 * failing listener never stops the others (its error goes to `onError`).
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';

/** One published batch: results and the confirmed states after them. */
export interface ResultEvent {
  results: CheckResult[];
  states: CheckState[];
  /**
   * Set by a state authority whose states other writers may change meanwhile: the store writer
   * merges each state with the stored one under a lock and puts the stored state in `states`
   * (the results port's `ResultBatch.merge`).
   */
  merge?(stored: CheckState | undefined, incoming: CheckState): CheckState;
  /**
   * Set on the page bus for batches another cluster instance wrote: `states` are read back from
   * the store and `results` are only their last results, so in-memory page facts re-read these checks.
   */
  relayed?: boolean;
}

type ResultListener = (event: ResultEvent) => void | Promise<void>;

export interface ResultBus {
  publish(event: ResultEvent): Promise<void>;
  /**
   * Returns an unsubscribe function. `first: true` runs the listener before every other one,
   * whenever it subscribed — the store writer uses it so that every other listener (alerts, pages)
   * sees results that are already stored.
   */
  subscribe(listener: ResultListener, options?: { first?: boolean }): () => void;
}

export function createResultBus(onError: (error: unknown) => void = () => {}): ResultBus {
  let listeners: ResultListener[] = [];
  return {
    async publish(event) {
      for (const listener of listeners) {
        try {
          await listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(listener, options) {
      // copy-on-write, so a listener that (un)subscribes during publish does not disturb the loop
      listeners = options?.first ? [listener, ...listeners] : [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
  };
}
