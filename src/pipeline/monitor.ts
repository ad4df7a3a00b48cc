/**
 * The monitoring loop of one process, assembled from small stages:
 * scheduler → runCheck (probe + conditions) → confirmStatus → batcher → bus → store writer, alerts, live feed.
 * It owns the in-memory view of each check's state and recent statuses (loaded from the store at
 * start, so confirmation survives restarts).
 * @module
 */
import { setMaxListeners } from 'node:events';
import type { UpstateConfig } from '../config/types.ts';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import type { Clock } from '../kernel/clock.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import { runCheck } from './run-check.ts';
import { confirmResult, confirmationDepth, isMultiRegion, regionOf, restaleStates, runsLocally } from './quorum.ts';

/** How often multi-region checks are re-examined for regions that went stale without a result. */
export const STALE_SWEEP_MS = 5_000;
import { createResultBatcher } from './result-batcher.ts';
import { mapLimit } from '../kernel/map-limit.ts';
import { compileAllConditions } from './run-due-checks.ts';

export interface MonitorDeps {
  config: UpstateConfig;
  store: EmbeddedStore;
  bus: ResultBus;
  probes: ProbeRegistry;
  clock: Clock;
  inMaintenance?(check: string, at: number): boolean;
  onLag?(lagMs: number): void;
  region?: string;
}

export interface Monitor {
  /** Loads state, subscribes the store writer and starts the scheduler. */
  start(): Promise<void>;
  /** Stops scheduling, lets running checks finish (or time out), flushes every result. */
  stop(): Promise<void>;
  /** Runs every check once, now, and records the results (used by `upstate check`). */
  runAll(): Promise<CheckResult[]>;
  /** Current in-memory state of a check. */
  stateOf(name: string): CheckState | undefined;
  /**
   * Takes results produced elsewhere (remote probe agents) through the same confirmation,
   * quorum and bus path as local results. Results of unknown checks are skipped; returns how
   * many were taken.
   */
  ingest(results: readonly CheckResult[]): Promise<number>;
}

/** The slice of a result confirmation keeps as history. */
type RecentEntry = Pick<CheckResult, 'status' | 'region'>;

/** Subscribes the store writer to the bus: every published batch is recorded in one transaction. */
export function subscribeStoreWriter(bus: ResultBus, store: Pick<EmbeddedStore, 'recordResults'>): () => void {
  return bus.subscribe((event) => store.recordResults(event), { first: true });
}

export function createMonitor(deps: MonitorDeps): Monitor {
  const { config, store, clock } = deps;
  const conditions = compileAllConditions(config.checks);
  const states = new Map<string, CheckState>();
  const byName = new Map(config.checks.map((check) => [check.name, check]));
  const recent = new Map<string, RecentEntry[]>();
  const shutdown = new AbortController();
  // every run in flight listens on this one signal (up to `concurrency`, default 200): not a leak
  setMaxListeners(0, shutdown.signal);
  const batcher = createResultBatcher({ bus: deps.bus, clock });
  let scheduler: Scheduler | undefined;
  let unsubscribe: (() => void) | undefined;
  let sweepTimer: unknown;
  let sweeping = false;
  const multiRegion = config.checks.filter(isMultiRegion);

  /** Regions go stale by time alone; when no result arrives to recompute a check, this does. */
  function sweep(): void {
    if (!sweeping) return;
    const changed = restaleStates(multiRegion, states, clock.now());
    for (const state of changed) states.set(state.check, state);
    const published = changed.length ? deps.bus.publish({ results: [], states: changed }) : Promise.resolve();
    void published.finally(() => {
      if (sweeping) sweepTimer = clock.setTimeout(sweep, STALE_SWEEP_MS);
    });
  }

  const runDeps = {
    probes: deps.probes,
    now: () => clock.now(),
    conditionsOf: (check: Check) => conditions.get(check.name) ?? [],
    lastHeartbeat: (name: string) => store.readLastHeartbeat(name),
    inMaintenance: deps.inMaintenance,
    shutdown: shutdown.signal,
    region: deps.region,
  };

  /** Confirms one result (local or from an agent) and queues it for the bus. */
  function record(check: Check, result: CheckResult): void {
    const history = recent.get(check.name) ?? [];
    const state = confirmResult(check, states.get(check.name), history, result, clock.now());
    history.push({ status: result.status, region: regionOf(result) });
    // enough history per region: depth × regions (+1 each, as before, for the single-region rule)
    const keep = (confirmationDepth(check) + 1) * check.regions.length;
    if (history.length > keep) history.splice(0, history.length - keep);
    recent.set(check.name, history);
    states.set(check.name, state);
    batcher.add(result, state);
  }

  async function runAndRecord(check: Check): Promise<CheckResult> {
    const result = await runCheck(check, runDeps);
    record(check, result);
    return result;
  }

  async function loadState(): Promise<void> {
    for (const state of await store.readStates()) states.set(state.check, state);
    await Promise.all(
      config.checks.map(async (check) => {
        const keep = (confirmationDepth(check) + 1) * check.regions.length;
        if (keep <= check.regions.length) return;
        const rows = await store.readRecentResults(check.name, { limit: keep });
        recent.set(check.name, rows.reverse().map((row) => ({ status: row.status, region: row.region })));
      }),
    );
  }

  return {
    async start() {
      unsubscribe = subscribeStoreWriter(deps.bus, store);
      await loadState();
      scheduler = createScheduler({
        // checks whose regions leave out `local` are run by agents only
        checks: config.checks.filter(runsLocally),
        clock,
        concurrency: config.scheduler.concurrency,
        run: async (check) => void (await runAndRecord(check)),
        // a check that has never reported runs within seconds, so a new page is not empty for a minute
        runSoon: (check) => !states.has(check.name),
        onLag: deps.onLag,
      });
      scheduler.start();
      sweeping = multiRegion.length > 0;
      if (sweeping) sweepTimer = clock.setTimeout(sweep, STALE_SWEEP_MS);
    },
    async stop() {
      sweeping = false;
      if (sweepTimer !== undefined) clock.clearTimeout(sweepTimer);
      await scheduler?.stop();
      await batcher.close();
      unsubscribe?.();
      shutdown.abort();
    },
    async runAll() {
      const ownWriter = unsubscribe ? undefined : subscribeStoreWriter(deps.bus, store);
      if (!states.size) await loadState();
      const results = await mapLimit(config.checks.filter(runsLocally), config.scheduler.concurrency, runAndRecord);
      await batcher.flush();
      ownWriter?.();
      return results;
    },
    stateOf: (name) => states.get(name),
    async ingest(results) {
      let taken = 0;
      for (const result of results) {
        const check = byName.get(result.check);
        if (!check) continue;
        record(check, result);
        taken++;
      }
      // the agent's batch is acknowledged only once it has been published (and so written)
      if (taken) await batcher.flush();
      return taken;
    },
  };
}
