/**
 * Embedded mode (`upstate serve`, one process, SQLite): the engine with the in-process heap
 * scheduler and the memory state authority, seeded from the store so confirmation survives
 * restarts. A check that has never reported runs within seconds of start, so a new page is not
 * empty for a minute.
 * @module
 */
import type { UpstateConfig } from '../config/types.ts';
import type { Store } from '../storage/store.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import type { Clock } from '../kernel/clock.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import { runsLocally } from '../pipeline/quorum.ts';
import { createEngine, type Engine, type EngineLogger } from '../engine/engine.ts';
import { createHeapScheduleSource } from '../engine/heap-schedule-source.ts';
import { createMemoryStateAuthority } from '../engine/memory-state-authority.ts';
import { withStoreWriter } from '../engine/store-writer.ts';

/** What the server modes need of the store. */
export type ServerModeStore = Pick<Store, 'recordResults' | 'readStates' | 'readRecentResults' | 'readLastHeartbeat'>;

export interface ServerModeDeps {
  config: Pick<UpstateConfig, 'checks' | 'scheduler'>;
  store: ServerModeStore;
  bus: ResultBus;
  probes: ProbeRegistry;
  clock: Clock;
  logger: EngineLogger;
  inMaintenance?(check: string, at: number): boolean;
  /** Delay between a check's slot and the start of its run (scheduler lag metric). */
  onLag?(lagMs: number): void;
}

/** The engine of an embedded server; `start` also subscribes the store writer. */
export function createEmbeddedMode(deps: ServerModeDeps): Engine {
  const { config, store, bus, clock } = deps;
  const authority = createMemoryStateAuthority({ bus, clock, seed: { store, checks: config.checks } });
  const engine: Engine = createEngine({
    checks: config.checks,
    concurrency: config.scheduler.concurrency,
    probes: deps.probes,
    clock,
    lastHeartbeat: (name) => store.readLastHeartbeat(name),
    inMaintenance: deps.inMaintenance,
    logger: deps.logger,
    authority,
    schedule: createHeapScheduleSource({
      // checks whose regions leave out `local` are run by agents only
      checks: config.checks.filter(runsLocally),
      clock,
      concurrency: config.scheduler.concurrency,
      runSoon: (check) => !authority.stateOf(check.name),
      onLag: deps.onLag,
    }),
  });
  return withStoreWriter(engine, bus, store);
}
