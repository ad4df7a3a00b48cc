/**
 * Embedded mode (`upstate serve`, one process, SQLite): the engine with the in-process heap
 * scheduler and the memory state authority, seeded from the store so confirmation survives
 * restarts. A check that has never reported runs within seconds of start, so a new page is not
 * empty for a minute.
 * @module
 */
import { runsLocally } from '../pipeline/quorum.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createHeapScheduleSource } from '../engine/heap-schedule-source.ts';
import { createMemoryStateAuthority } from '../engine/memory-state-authority.ts';
import { withStoreWriter } from '../engine/store-writer.ts';
import { serverEngineDeps, type ServerModeDeps } from './server-mode-deps.ts';

/** The engine of an embedded server; `start` also subscribes the store writer. */
export function createEmbeddedMode(deps: ServerModeDeps): Engine {
  const { config, store, bus, clock } = deps;
  const authority = createMemoryStateAuthority({ bus, clock, seed: { store, checks: config.checks } });
  const engine: Engine = createEngine({
    ...serverEngineDeps(deps),
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
