/**
 * The agent API (`/api/v1/agent/*`) in the primary stack's page function, so probe-region stacks
 * (and ordinary `upstate agent`s) can report to a serverless primary. Results are taken through
 * the same path as a cluster instance's: the store state authority confirms them per region on
 * top of the stored state and recent results, derives the check's status by quorum, and the
 * store writer merges each state with the stored one under the item's condition — so a region's
 * report landing here and the primary checker's own results landing in the checker function at
 * the same moment both survive.
 *
 * Alerts are not evaluated here: the checker's next round reads the state these results produced
 * (its results are confirmed against the stored regions), and its alerting acts on that.
 * @module
 */
import type { Hono } from 'hono';
import type { UpstateConfig } from '../../config/types.ts';
import type { Check } from '../../domain/check.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { Store } from '../../storage/store.ts';
import { createResultBus } from '../../kernel/result-bus.ts';
import { createStoreStateAuthority } from '../../engine/store-state-authority.ts';
import { subscribeStoreWriter } from '../../engine/store-writer.ts';
import { createAgentRoutes } from '../../agents/agent-routes.ts';
import { createClientAddress } from '../../http/client-address.ts';
import type { LambdaLogger } from './lambda-logger.ts';

export interface LambdaAgentRoutesDeps {
  config: Pick<UpstateConfig, 'checks' | 'server'>;
  store: Store;
  logger: LambdaLogger;
  now(): number;
  inMaintenance(check: string, at: number): boolean;
}

/** The agent routes, with results confirmed and written through the store. */
export function createLambdaAgentRoutes(deps: LambdaAgentRoutesDeps): Hono {
  const { config, store, logger } = deps;
  const bus = createResultBus((error) => logger.error({ err: error }, 'agent result listener failed'));
  subscribeStoreWriter(bus, store);
  const authority = createStoreStateAuthority({ bus, store, now: deps.now });
  const byName = new Map<string, Check>(config.checks.map((check) => [check.name, check]));
  const ingest = async (results: CheckResult[]): Promise<number> => {
    const taken = results.filter((result) => byName.has(result.check));
    if (!taken.length) return 0;
    await authority.commit(taken.map((result) => byName.get(result.check)!), taken);
    // answered only once written: the agent drops what was acknowledged
    await authority.flush();
    return taken.length;
  };
  return createAgentRoutes({
    config,
    store,
    ingest,
    inMaintenance: deps.inMaintenance,
    logger,
    now: deps.now,
    clientAddress: createClientAddress(config.server?.trustProxy),
  }) as unknown as Hono;
}
