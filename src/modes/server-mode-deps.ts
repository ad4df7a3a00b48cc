/**
 * What the server modes (embedded, cluster, the serverless checker) take, and the part of the
 * engine's deps they build alike: the checks and their concurrency, heartbeats read from the
 * store, maintenance and the logger. Each mode adds only its schedule source and state authority.
 * @module
 */
import type { UpstateConfig } from '../config/types.ts';
import type { Store } from '../storage/store.ts';
import type { ProbeRunners } from '../probes/probe.ts';
import type { Clock } from '../kernel/clock.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import type { Engine, EngineDeps, EngineLogger } from '../engine/engine.ts';

/** What the server modes need of the store. */
type ServerModeStore = Pick<Store, 'recordResults' | 'readStates' | 'readRecentResults' | 'readLastHeartbeat'>;

/** The store of the modes that claim checks from the shared schedule (cluster, serverless checker). */
export type ClaimingStore = ServerModeStore & Pick<Store, 'syncSchedule' | 'claimDueChecks'>;

export interface ServerModeDeps {
  config: Pick<UpstateConfig, 'checks' | 'scheduler'>;
  store: ServerModeStore;
  bus: ResultBus;
  probes: ProbeRunners;
  clock: Clock;
  logger: EngineLogger;
  inMaintenance?(check: string, at: number): boolean;
  /** Delay between a check's slot and the start of its run (scheduler lag metric). */
  onLag?(lagMs: number): void;
}

/** The engine of a server mode, plus how a reloaded config reaches it. */
export interface ServerEngine extends Engine {
  /**
   * Applies a reloaded config's checks and concurrency: `Engine.reload` with a new schedule source
   * of the mode's kind (in-flight runs finish, kept checks keep their phase).
   */
  applyConfig(config: Pick<UpstateConfig, 'checks' | 'scheduler'>): Promise<void>;
}

/** The engine deps every server mode builds the same way. */
export function serverEngineDeps(
  deps: Omit<ServerModeDeps, 'bus' | 'onLag'>,
): Pick<EngineDeps, 'checks' | 'concurrency' | 'probes' | 'clock' | 'lastHeartbeat' | 'inMaintenance' | 'logger'> {
  const { config, store } = deps;
  return {
    checks: config.checks,
    concurrency: config.scheduler.concurrency,
    probes: deps.probes,
    clock: deps.clock,
    lastHeartbeat: (name) => store.readLastHeartbeat(name),
    inMaintenance: deps.inMaintenance,
    logger: deps.logger,
  };
}
