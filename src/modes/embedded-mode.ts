/**
 * Embedded mode (`upstate serve`, one process, SQLite): the engine with the in-process heap
 * scheduler and the memory state authority, seeded from the store so confirmation survives
 * restarts. A check that has never reported runs within seconds of start, so a new page is not
 * empty for a minute. A reloaded config gets a new heap (`applyConfig`): a new check never
 * reported also runs within seconds.
 * @module
 */
import { runsLocally } from '../pipeline/quorum.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createHeapScheduleSource } from '../engine/heap-schedule-source.ts';
import { createMemoryStateAuthority } from '../engine/memory-state-authority.ts';
import { withStoreWriter } from '../engine/store-writer.ts';
import { withConfigNames } from '../storage/with-config-names.ts';
import { serverEngineDeps, type ServerEngine, type ServerModeDeps } from './server-mode-deps.ts';

/** The engine of an embedded server; `start` also subscribes the store writer. */
export function createEmbeddedMode(deps: ServerModeDeps): ServerEngine {
  const { config, store, bus, clock } = deps;
  const authority = createMemoryStateAuthority({ bus, clock, seed: { store: withConfigNames(store, config.checks), checks: config.checks } });
  const heap = (next: ServerModeDeps['config']) =>
    createHeapScheduleSource({
      // checks whose regions leave out `local` are run by agents only
      checks: next.checks.filter(runsLocally),
      clock,
      concurrency: next.scheduler.concurrency,
      runSoon: (check) => !authority.stateOf(check.name),
      onLag: deps.onLag,
    });
  const engine: Engine = createEngine({ ...serverEngineDeps(deps), authority, schedule: heap(config) });
  return withStoreWriter(
    { ...engine, applyConfig: (next) => engine.reload({ checks: next.checks, concurrency: next.scheduler.concurrency, schedule: heap(next) }) },
    bus,
    store,
  );
}
