/**
 * The store writer: subscribed first on the result bus, so every published batch is recorded
 * (in one transaction where the backend has them) before alerts and pages see it.
 * @module
 */
import type { ResultBus } from '../kernel/result-bus.ts';
import type { Store } from '../storage/store.ts';

/** Subscribes the writer; returns the unsubscribe function. */
export function subscribeStoreWriter(bus: ResultBus, store: Pick<Store, 'recordResults'>): () => void {
  return bus.subscribe((event) => store.recordResults(event), { first: true });
}

/**
 * The engine with the store writer subscribed while it runs: from before its first result until
 * after its last one is published (`stop` flushes first).
 */
export function withStoreWriter<E extends { start(): Promise<void>; stop(): Promise<void> }>(
  engine: E,
  bus: ResultBus,
  store: Pick<Store, 'recordResults'>,
): E {
  let unsubscribe: (() => void) | undefined;
  return {
    ...engine,
    async start() {
      unsubscribe ??= subscribeStoreWriter(bus, store);
      await engine.start();
    },
    async stop() {
      await engine.stop();
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
