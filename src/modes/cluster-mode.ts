/**
 * Cluster mode (N identical `upstate serve --mode cluster` processes, one PostgreSQL, no
 * leader): the engine with due checks claimed from the shared schedule and the store as state
 * authority (any instance, and agents through any instance, may have written a check's state).
 * Alert transitions are compare-and-set and the outbox is claimed with leases elsewhere, so
 * each alert is sent once cluster-wide.
 * @module
 */
import { createEngine } from '../engine/engine.ts';
import { createClaimScheduleSource } from '../engine/claim-schedule-source.ts';
import { createStoreStateAuthority } from '../engine/store-state-authority.ts';
import { withStoreWriter } from '../engine/store-writer.ts';
import { serverEngineDeps, type ClaimingStore, type ServerEngine, type ServerModeDeps } from './server-mode-deps.ts';

export interface ClusterModeDeps extends ServerModeDeps {
  store: ClaimingStore;
  /** This instance's identity in leases (see `createInstanceId`). */
  owner: string;
  /** Shortest gap between two claims, ms (default 250). */
  minTickMs?: number;
  /** Longest sleep between two claims, ms (default 1000). */
  maxTickMs?: number;
}

/**
 * The engine of a cluster instance; `start` also subscribes the store writer and syncs the
 * schedule. A reloaded config gets a new claim source (`applyConfig`), whose start syncs the shared
 * schedule to this instance's checks.
 */
export function createClusterMode(deps: ClusterModeDeps): ServerEngine {
  const { config, store, bus, clock } = deps;
  const claims = (next: ServerModeDeps['config']) =>
    createClaimScheduleSource({
      checks: next.checks,
      store,
      clock,
      owner: deps.owner,
      concurrency: next.scheduler.concurrency,
      onLag: deps.onLag,
      minTickMs: deps.minTickMs,
      maxTickMs: deps.maxTickMs,
    });
  const engine = createEngine({
    ...serverEngineDeps(deps),
    authority: createStoreStateAuthority({ bus, store, now: () => clock.now() }),
    schedule: claims(config),
  });
  return withStoreWriter(
    { ...engine, applyConfig: (next) => engine.reload({ checks: next.checks, concurrency: next.scheduler.concurrency, schedule: claims(next) }) },
    bus,
    store,
  );
}
