/**
 * The serverless checker (Lambda, once a minute): the engine with claims from the shared
 * schedule and the store as state authority — the same parts as a cluster instance, but one
 * round per invocation instead of a tick loop, bounded by a deadline (the time Lambda has left
 * minus a margin). Checks that cannot finish in time are recorded as timeouts (`isNotStarted`).
 * The Lambda lifecycle around it (cold start, alert delivery, retention, the summary) lives in
 * `runtime/lambda/checker-handler.ts`.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import { createResultBus, type ResultBus } from '../kernel/result-bus.ts';
import { createEngine } from '../engine/engine.ts';
import { createClaimScheduleSource } from '../engine/claim-schedule-source.ts';
import { createStoreStateAuthority } from '../engine/store-state-authority.ts';
import { subscribeStoreWriter } from '../engine/store-writer.ts';
import { serverEngineDeps, type ClaimingStore, type ServerModeDeps } from './server-mode-deps.ts';

/** A server mode's deps but the bus (the checker makes its own) and the lag metric. */
export interface ServerlessCheckerDeps extends Omit<ServerModeDeps, 'bus' | 'onLag'> {
  store: ClaimingStore;
  /** Identifies this container in schedule leases. */
  owner: string;
}

export interface ServerlessChecker {
  /** The result bus (the store writer is subscribed first; alerting subscribes after). */
  bus: ResultBus;
  /** Makes the stored schedule match the config (once per cold start). */
  sync(): Promise<void>;
  /** One round: claims the due checks, runs them before `deadline`, publishes; returns the results. */
  runRound(options: { deadline: number }): Promise<CheckResult[]>;
}

export function createServerlessChecker(deps: ServerlessCheckerDeps): ServerlessChecker {
  const { config, store, clock, logger } = deps;
  const bus = createResultBus((error) => logger.error({ err: error }, 'result listener failed'));
  subscribeStoreWriter(bus, store);
  const engine = createEngine({
    ...serverEngineDeps(deps),
    authority: createStoreStateAuthority({ bus, store, now: () => clock.now() }),
  });
  const source = createClaimScheduleSource({
    checks: config.checks,
    store,
    clock,
    owner: deps.owner,
    concurrency: config.scheduler.concurrency,
  });
  return {
    bus,
    sync: () => source.sync(),
    runRound: (options) => source.runRound(engine.run, options),
  };
}
