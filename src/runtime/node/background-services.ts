/**
 * Background services that run beside the checks in a long-lived process: heartbeat token sync,
 * alert evaluation and delivery, and retention. Kept apart from the server wiring so each mode
 * (embedded, cluster) starts the same services the same way.
 * @module
 */
import type { UpstateConfig } from '../../config/types.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import type { ResultBus } from '../../kernel/result-bus.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from './logger.ts';
import { syncHeartbeatTokens } from '../../probes/heartbeat/sync-heartbeat-tokens.ts';
import { pushPath } from '../../probes/heartbeat/heartbeat-token.ts';
import { createAlerting, type Alerting, type AlertingDeps } from '../../alerting/create-alerting.ts';
import { componentId } from '../../status/component-id.ts';

/** How often old raw results and rollups are removed. */
const RETENTION_EVERY_MS = 10 * 60_000;
/** First retention run after start-up, out of the way of the first checks. */
const RETENTION_FIRST_MS = 60_000;

export interface BackgroundServiceDeps {
  config: UpstateConfig;
  store: EmbeddedStore;
  bus: ResultBus;
  clock: Clock;
  logger: Logger;
  /** Public base URL for printed links (push URLs, alert links) when `page.publicUrl` is not set. */
  baseUrl: string;
  inMaintenance(check: string, at: number): boolean;
  /** Identity of this process in outbox leases (default: random per process). */
  owner?: string;
  /** Told about every alert delivery attempt (feeds `/metrics`). */
  onDelivery?: AlertingDeps['onDelivery'];
}

export interface BackgroundServices {
  alerting: Alerting;
  stop(): Promise<void>;
}

export async function startBackgroundServices(deps: BackgroundServiceDeps): Promise<BackgroundServices> {
  const { config, store, logger, clock } = deps;
  const base = (config.page.publicUrl ?? deps.baseUrl).replace(/\/$/, '');

  const created = await syncHeartbeatTokens(store, config.checks, clock.now());
  for (const { check, token } of created) {
    // shown once: only the hash is stored, so this is the one chance to copy the URL
    logger.warn({ check, pushUrl: `${base}${pushPath(token)}` }, 'new heartbeat push URL (shown once; store it in your job)');
  }

  const alerting = createAlerting({
    alerts: config.alerts,
    channels: config.notifiers,
    checks: config.checks,
    store,
    bus: deps.bus,
    clock,
    isInMaintenance: deps.inMaintenance,
    owner: deps.owner,
    onDelivery: deps.onDelivery,
    logger: logger.child({ part: 'alerting' }),
    linkFor: (check) => `${base}/checks/${componentId(check)}`,
  });
  await alerting.start();

  let retentionTimer: unknown;
  const runRetention = async () => {
    try {
      const report = await store.applyRetention(clock.now(), config.retention);
      // expired admin sessions are refused anyway; this only keeps the table small
      const sessions = await store.pruneSessions(clock.now());
      logger.debug({ ...report, sessions }, 'retention applied');
    } catch (error) {
      logger.error({ err: error }, 'retention failed; will retry');
    }
    retentionTimer = clock.setTimeout(() => void runRetention(), RETENTION_EVERY_MS);
  };
  retentionTimer = clock.setTimeout(() => void runRetention(), RETENTION_FIRST_MS);

  return {
    alerting,
    async stop() {
      clock.clearTimeout(retentionTimer);
      await alerting.stop();
    },
  };
}
