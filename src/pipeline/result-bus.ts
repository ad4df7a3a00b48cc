/**
 * The in-process result bus: the scheduler publishes each batch of results once; the store
 * writer, the alert evaluator and the live page feed subscribe. Listeners run in order and a
 * failing listener never stops the others (its error goes to `onError`).
 * @module
 */
import type { CheckResult } from '../domain/result.js';
import type { CheckState } from '../domain/status.js';

/** One published batch: results and the confirmed states after them. */
export interface ResultEvent {
  results: CheckResult[];
  states: CheckState[];
}

export type ResultListener = (event: ResultEvent) => void | Promise<void>;

export interface ResultBus {
  publish(event: ResultEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: ResultListener): () => void;
}

export function createResultBus(onError: (error: unknown) => void = () => {}): ResultBus {
  const listeners = new Set<ResultListener>();
  return {
    async publish(event) {
      for (const listener of [...listeners]) {
        try {
          await listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
