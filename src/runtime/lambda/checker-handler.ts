/**
 * The checker function, invoked by EventBridge once a minute. Cold start: config and store
 * (`openLambdaRuntime`), the serverless checker mode (`src/modes/serverless-checker-mode.ts`:
 * the engine with claims from the shared schedule and the store as state authority, the same
 * parts cluster instances use) with alerting subscribed to its bus, and the shared schedule
 * synced from the config once. Each invocation runs one round of due checks, bounded by the
 * time Lambda has left minus a margin, then delivers pending alerts and, hourly, applies retention.
 *
 * In a probe-region stack the same entry runs `probe-region-checker.ts` instead: it reports to the
 * primary's agent API and keeps no table.
 *
 * Lambda entry: `checker-handler.handler`.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServerlessChecker, type ServerlessChecker } from '../../modes/serverless-checker-mode.ts';
import { isNotStarted } from '../../engine/engine.ts';
import type { ProbeRunners } from '../../probes/probe.ts';
import { lazyProbes } from '../../probes/lazy-registry.ts';
import { createAlerting, type Alerting } from '../../alerting/create-alerting.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import { loadMaintenanceCalendar } from './load-maintenance-calendar.ts';
import { coldStart, isProbeRegion, openLambdaRuntime, type LambdaRuntime } from './lambda-runtime.ts';
import type { LambdaContext } from './lambda-types.ts';
import { inShard, shardOf, type CheckerShard } from './checker-shard.ts';
import type { UpstateConfig } from '../../config/types.ts';
import type { ProbeRegionChecker } from './probe-region-checker.ts';

/** Time kept back from the Lambda timeout for writing results and delivering alerts. */
export const DEFAULT_MARGIN_MS = 5_000;
/**
 * Retention (rollup clean-up; raw results expire by TTL) is tried on a container's first
 * invocation and then at most this often, so it happens even when containers are recycled within
 * the hour; a claim per clock hour in the table (`claimNotice`) lets one container of all run it.
 */
const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface CheckerHandlerDeps {
  runtime(): Promise<LambdaRuntime>;
  /** Probe kinds; defaults to the built-in ones, each loaded on its first run (probes/lazy-registry.ts). */
  probes?: ProbeRunners;
  now?: () => number;
  marginMs?: number;
  /** Identifies this container in schedule leases and the alert outbox. */
  owner?: string;
}

/** What one invocation did (also logged). */
export interface CheckerSummary {
  checked: number;
  up: number;
  down: number;
  degraded: number;
  /** Checks not started because the deadline was too close (recorded as timeouts). */
  notStarted: number;
  durationMs: number;
}

export type CheckerHandler = ((event: unknown, context: LambdaContext) => Promise<CheckerSummary>) & {
  /** Stops alert delivery and closes the store (tests). */
  close(): Promise<void>;
};

interface Warm {
  runtime: LambdaRuntime;
  /** The config this checker was built on (a refresh replaces runtime.config). */
  config: UpstateConfig;
  checker: ServerlessChecker;
  alerting: Alerting;
  lastRetentionAt: number;
}

/**
 * Builds the handler; everything expensive happens on the first invocation and is reused until the
 * runtime's periodic re-read (`UPSTATE_REFRESH_SECONDS`) finds changed secrets or config.
 */
export function createCheckerHandler(deps: CheckerHandlerDeps): CheckerHandler {
  const now = deps.now ?? Date.now;
  const owner = deps.owner ?? `lambda-${randomUUID()}`;
  const marginMs = deps.marginMs ?? DEFAULT_MARGIN_MS;
  // the system clock's unref'd timers, read through the injectable `now`
  const clock: Clock = { ...systemClock, now };
  /** One warm checker per shard the container has been invoked for ('' = not split). */
  const shards = new Map<string, Warm>();
  const runtimeOnce = coldStart(() => deps.runtime());

  /** The checker, alerting and schedule for one config and shard (again when a refresh changes the config). */
  const assemble = async (runtime: LambdaRuntime, shard: CheckerShard | undefined): Promise<Omit<Warm, 'lastRetentionAt'>> => {
    const { logger, config } = runtime;
    const checks = shard ? config.checks.filter((check) => inShard(check.name, shard)) : config.checks;
    const shardConfig = shard ? { ...config, checks } : config;
    const store = shard ? runtime.storeForShard(shard.key) : runtime.store;
    const calendar = await loadMaintenanceCalendar(config.maintenance, checks);
    const inMaintenance = calendar.inMaintenance;
    const checker = createServerlessChecker({ config: shardConfig, store, probes: deps.probes ?? lazyProbes, clock, owner, logger, inMaintenance });
    const alerting = createAlerting({
      alerts: config.alerts,
      channels: config.notifiers,
      checks,
      store,
      bus: checker.bus,
      clock,
      isInMaintenance: inMaintenance,
      owner,
      logger,
      linkFor: config.page.publicUrl ? () => config.page.publicUrl : undefined,
      publicUrl: config.page.publicUrl,
    });
    await alerting.start();
    await checker.sync();
    logger.info({ checks: checks.length, owner, shard: shard?.key }, 'checker ready');
    return { runtime, config, checker, alerting };
  };

  const handle = async (event: unknown, context: LambdaContext): Promise<CheckerSummary> => {
    const started = now();
    const shard = shardOf(event);
    const runtime = await runtimeOnce();
    // a rotated secret or an edited config parameter becomes runtime.config: rebuild on it and re-sync
    await runtime.refresh();
    const key = shard?.key ?? '';
    let state = shards.get(key);
    if (!state || state.config !== runtime.config) {
      await state?.alerting.stop();
      state = { ...(await assemble(runtime, shard)), lastRetentionAt: state?.lastRetentionAt ?? Number.NEGATIVE_INFINITY };
      shards.set(key, state);
    }
    const { logger, store, config } = { ...runtime, config: state.config };
    const deadline = now() + context.getRemainingTimeInMillis() - marginMs;
    const results = await state.checker.runRound({ deadline });
    // Deliver what this round enqueued while the container is still running (it freezes after).
    await state.alerting.deliverNow();
    // retention covers the whole table: one shard does it, and of the containers one per hour (it
    // reads every check's history, ~3 Queries per check: not something each cold start should pay)
    if ((shard?.index ?? 0) === 0 && now() - state.lastRetentionAt >= RETENTION_EVERY_MS && now() < deadline) {
      state.lastRetentionAt = now();
      if (await store.claimNotice(`retention:${Math.floor(now() / RETENTION_EVERY_MS)}`, now())) {
        const report = await store.applyRetention(now(), config.retention);
        logger.info({ ...report }, 'retention applied');
      }
    }
    const count = (status: string) => results.filter((r) => r.status === status).length;
    const summary: CheckerSummary = {
      checked: results.length,
      up: count('up'),
      down: count('down'),
      degraded: count('degraded'),
      notStarted: results.filter(isNotStarted).length,
      durationMs: now() - started,
    };
    logger.info({ ...summary, shard: shard?.key, requestId: context.awsRequestId }, 'checks run');
    return summary;
  };

  return Object.assign(handle, {
    async close() {
      for (const state of shards.values()) await state.alerting.stop();
      const runtime = shards.values().next().value?.runtime;
      await runtime?.store.close();
    },
  });
}

const bundleDir = dirname(fileURLToPath(import.meta.url));

/** A probe region's checker; its modules (the agent client and its schemas) load only in such a stack. */
async function probeRegionHandler(): Promise<ProbeRegionChecker> {
  const [{ createProbeRegionChecker }, { openProbeRegionRuntime }] = await Promise.all([import('./probe-region-checker.ts'), import('./probe-region-runtime.ts')]);
  return createProbeRegionChecker({
    runtime: () => openProbeRegionRuntime({ env: process.env, clock: systemClock }),
    probes: lazyProbes,
    clock: systemClock,
    marginMs: DEFAULT_MARGIN_MS,
  });
}

/**
 * The Lambda entry point, configured from the function's environment: the primary's checker, or
 * a probe region's when the stack was deployed with `PrimaryUrl` (`UPSTATE_PRIMARY_URL`), whose
 * modules are imported here, still during init.
 */
export const handler: CheckerHandler | ProbeRegionChecker = isProbeRegion(process.env)
  ? await probeRegionHandler()
  : createCheckerHandler({
    runtime: () => openLambdaRuntime({ env: process.env, bundleDir }),
  });
