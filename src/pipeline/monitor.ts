/**
 * The monitoring loop of one process, assembled from small stages:
 * scheduler → runCheck (probe + conditions) → confirmStatus → batcher → bus → store writer, alerts, live feed.
 * It owns the in-memory view of each check's state and recent statuses (loaded from the store at
 * start, so confirmation survives restarts).
 * @module
 */
import type { UpstateConfig } from '../config/types.js';
import type { Check } from '../domain/check.js';
import type { CheckResult, ResultStatus } from '../domain/result.js';
import type { CheckState } from '../domain/status.js';
import type { Store } from '../storage/store.js';
import type { ProbeRegistry } from '../probes/registry.js';
import type { Clock } from '../scheduler/clock.js';
import type { ResultBus } from './result-bus.js';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.js';
import { runCheck } from './run-check.js';
import { confirmStatus } from './confirm-status.js';
import { createResultBatcher } from './result-batcher.js';
import { mapLimit } from './map-limit.js';
import { compileAllConditions } from './run-due-checks.js';

export interface MonitorDeps {
  config: UpstateConfig;
  store: Store;
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
}

/** Subscribes the store writer to the bus: every published batch is recorded in one transaction. */
export function subscribeStoreWriter(bus: ResultBus, store: Store): () => void {
  return bus.subscribe((event) => store.recordResults(event));
}

export function createMonitor(deps: MonitorDeps): Monitor {
  const { config, store, clock } = deps;
  const conditions = compileAllConditions(config.checks);
  const states = new Map<string, CheckState>();
  const recent = new Map<string, ResultStatus[]>();
  const shutdown = new AbortController();
  const batcher = createResultBatcher({ bus: deps.bus, clock });
  let scheduler: Scheduler | undefined;
  let unsubscribe: (() => void) | undefined;

  const runDeps = {
    probes: deps.probes,
    now: () => clock.now(),
    conditionsOf: (check: Check) => conditions.get(check.name) ?? [],
    lastHeartbeat: (name: string) => store.readLastHeartbeat(name),
    inMaintenance: deps.inMaintenance,
    shutdown: shutdown.signal,
    region: deps.region,
  };

  async function runAndRecord(check: Check): Promise<CheckResult> {
    const result = await runCheck(check, runDeps);
    const history = recent.get(check.name) ?? [];
    const state = confirmStatus(states.get(check.name), history, result, check.confirm);
    history.push(result.status);
    const keep = Math.max(check.confirm.downAfter.of, check.confirm.upAfter);
    if (history.length > keep) history.splice(0, history.length - keep);
    recent.set(check.name, history);
    states.set(check.name, state);
    batcher.add(result, state);
    return result;
  }

  async function loadState(): Promise<void> {
    for (const state of await store.readStates()) states.set(state.check, state);
    await Promise.all(
      config.checks.map(async (check) => {
        const keep = Math.max(check.confirm.downAfter.of, check.confirm.upAfter);
        if (keep <= 1) return;
        const rows = await store.readRecentResults(check.name, { limit: keep });
        recent.set(check.name, rows.reverse().map((row) => row.status));
      }),
    );
  }

  return {
    async start() {
      unsubscribe = subscribeStoreWriter(deps.bus, store);
      await loadState();
      scheduler = createScheduler({
        checks: config.checks,
        clock,
        concurrency: config.scheduler.concurrency,
        run: async (check) => void (await runAndRecord(check)),
        // a check that has never reported runs within seconds, so a new page is not empty for a minute
        runSoon: (check) => !states.has(check.name),
        onLag: deps.onLag,
      });
      scheduler.start();
    },
    async stop() {
      await scheduler?.stop();
      await batcher.close();
      unsubscribe?.();
      shutdown.abort();
    },
    async runAll() {
      const ownWriter = unsubscribe ? undefined : subscribeStoreWriter(deps.bus, store);
      if (!states.size) await loadState();
      const results = await mapLimit(config.checks, config.scheduler.concurrency, runAndRecord);
      await batcher.flush();
      ownWriter?.();
      return results;
    },
    stateOf: (name) => states.get(name),
  };
}
