/**
 * Background services that run beside the checks in a long-lived process: heartbeat token sync,
 * alert evaluation and delivery, and retention. Kept apart from the server wiring so each mode
 * (embedded, cluster) starts the same services the same way. A config reload (`reload`) reaches
 * all three.
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
import { createResultBus } from '../../kernel/result-bus.ts';
import { withConfigNames } from '../../storage/with-config-names.ts';
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
  /** The alerting now running (a reload replaces it). */
  readonly alerting: Alerting;
  /**
   * Applies a reloaded config: heartbeat tokens for new push checks, then alerting rebuilt with the
   * new rules, channels and checks (results published meanwhile wait and go to the new one, so
   * none is evaluated twice or skipped), and the new retention from the next run on. Throws, with
   * the previous alerting still running, when the new one cannot start.
   */
  reload(config: UpstateConfig): Promise<void>;
  stop(): Promise<void>;
}

export async function startBackgroundServices(deps: BackgroundServiceDeps): Promise<BackgroundServices> {
  const { store, logger, clock } = deps;
  let config = deps.config;
  const baseOf = (next: UpstateConfig) => (next.page.publicUrl ?? deps.baseUrl).replace(/\/$/, '');

  const syncTokens = async (next: UpstateConfig) => {
    const created = await syncHeartbeatTokens(store, next.checks, clock.now());
    for (const { check, token } of created) {
      // shown once: only the hash is stored, so this is the one chance to copy the URL
      logger.warn({ check, pushUrl: `${baseOf(next)}${pushPath(token)}` }, 'new heartbeat push URL (shown once; store it in your job)');
    }
  };

  // Alerting listens on a bus of its own, fed from the result bus: a reload swaps what is behind
  // it while results wait, instead of two evaluators (or none) seeing a batch.
  const alertingOf = (next: UpstateConfig) => {
    const bus = createResultBus((error) => logger.error({ err: error }, 'alert evaluation failed'));
    const base = baseOf(next);
    const alerting = createAlerting({
      alerts: next.alerts,
      channels: next.notifiers,
      checks: next.checks,
      // the evaluator keys its states by name for the process's life: by the config's strings
      store: withConfigNames(store, next.checks),
      bus,
      clock,
      isInMaintenance: deps.inMaintenance,
      owner: deps.owner,
      onDelivery: deps.onDelivery,
      logger: logger.child({ part: 'alerting' }),
      linkFor: (check) => `${base}/checks/${componentId(check)}`,
      publicUrl: base,
    });
    return { bus, alerting };
  };

  await syncTokens(config);
  let current = alertingOf(config);
  await current.alerting.start();
  let swapping: Promise<void> | undefined;
  const unfeed = deps.bus.subscribe(async (event) => {
    await swapping;
    await current.bus.publish(event);
  });

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
    get alerting() {
      return current.alerting;
    },
    async reload(next) {
      await syncTokens(next);
      const replacement = alertingOf(next);
      const swap = (async () => {
        try {
          await replacement.alerting.start();
        } catch (error) {
          // the previous alerting was never stopped: it keeps evaluating with the previous rules
          await replacement.alerting.stop().catch(() => {});
          throw error;
        }
        const previous = current;
        current = replacement;
        // its deliveries in flight finish; what it had not sent stays in the outbox for the new one
        await previous.alerting.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping the replaced alerting failed'));
      })();
      swapping = swap.catch(() => {});
      try {
        await swap;
      } finally {
        swapping = undefined;
      }
      config = next;
    },
    async stop() {
      clock.clearTimeout(retentionTimer);
      unfeed();
      await current.alerting.stop();
    },
  };
}
