/**
 * The monitor of one cluster instance (PostgreSQL store, N identical processes, no leader).
 * Instead of an in-process scheduler it runs a tick loop over the shared schedule: each tick
 * claims the checks that are due (`claimDueChecks` with a lease), runs them, confirms them
 * against the stored state and publishes one batch. A claim moves the check's next due time one
 * interval on in the same write, so each check runs once per interval across the cluster, and
 * the checks of an instance that died are claimed by the others at their next slot.
 *
 * Ticks are cheap when nothing is due: slots are computed locally from the config (every
 * instance derives the same phases), so the loop sleeps until the earliest slot — at least
 * `minTickMs` apart (batching claims), at most `maxTickMs` (clock skew between instances, checks
 * added by a newer config elsewhere). The store is only asked for states when a claim succeeded.
 * @module
 */
import type { UpstateConfig } from '../config/types.ts';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { Store } from '../storage/store.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import type { Clock } from '../kernel/clock.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import type { Monitor } from '../pipeline/monitor.ts';
import { subscribeStoreWriter } from '../pipeline/monitor.ts';
import { compileAllConditions, confirmAgainstStore, createDueCheckRunner, scheduleEntries } from '../pipeline/run-due-checks.ts';
import { nextSlot, phaseOf } from '../scheduler/scheduler.ts';
import { runCheck } from '../pipeline/run-check.ts';
import { STALE_SWEEP_MS } from '../pipeline/monitor.ts';
import { isMultiRegion, restaleStates, runsLocally } from '../pipeline/quorum.ts';
import { mapLimit } from '../kernel/map-limit.ts';

export interface ClusterMonitorDeps {
  config: UpstateConfig;
  store: Store;
  bus: ResultBus;
  probes: ProbeRegistry;
  clock: Clock;
  /** This instance's identity in leases (see `createInstanceId`). */
  owner: string;
  inMaintenance?(check: string, at: number): boolean;
  /** Errors of a round (e.g. the database is unreachable); the loop keeps going. */
  onError?(error: unknown): void;
  /** Delay between a check's slot and its claim. */
  onLag?(lagMs: number): void;
  /** Shortest gap between two claims, ms (default 250). */
  minTickMs?: number;
  /** Longest sleep between two claims, ms (default 1000). */
  maxTickMs?: number;
}

/** Creates the cluster monitor; same interface as the embedded one. */
export function createClusterMonitor(deps: ClusterMonitorDeps): Monitor {
  const { config, store, clock } = deps;
  const minTickMs = deps.minTickMs ?? 250;
  const maxTickMs = deps.maxTickMs ?? 1000;
  const byName = new Map(config.checks.map((check) => [check.name, check]));
  const phases = config.checks.filter(runsLocally).map((check) => ({ check, phase: phaseOf(check.name, check.intervalMs) }));
  // one state writer at a time in this process: rounds overlap and agents' results arrive any time
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work);
    chain = run.catch(() => {});
    return run;
  };
  const runRound = createDueCheckRunner({
    exclusive,
    config,
    store,
    bus: deps.bus,
    probes: deps.probes,
    now: () => clock.now(),
    owner: deps.owner,
    inMaintenance: deps.inMaintenance,
    onLag: deps.onLag,
  });
  const states = new Map<string, CheckState>();
  const rounds = new Set<Promise<void>>();
  let running = 0;
  let timer: unknown;
  let stopped = true;
  const multiRegion = config.checks.filter(isMultiRegion);
  let lastSweep = 0;
  let unsubscribe: (() => void) | undefined;

  /** When the next tick should happen: the earliest slot after now, within the tick bounds. */
  function nextWake(now: number): number {
    let earliest = now + maxTickMs;
    for (const { check, phase } of phases) earliest = Math.min(earliest, nextSlot(now + 1, check.intervalMs, phase));
    return Math.max(earliest, now + minTickMs) - now;
  }

  function arm(): void {
    if (stopped) return;
    timer = clock.setTimeout(tick, nextWake(clock.now()));
  }

  function tick(): void {
    timer = undefined;
    if (stopped) return;
    // rounds overlap (a slow check must not hold up the others); the concurrency bound is global
    const limit = config.scheduler.concurrency - running;
    if (limit > 0) {
      let claimed = 0;
      const round = runRound({ limit, concurrency: limit, onClaimed: (count) => (running += claimed = count) })
        .then(() => {}, (error) => deps.onError?.(error))
        .finally(() => {
          running -= claimed;
          rounds.delete(round);
        });
      rounds.add(round);
    }
    if (multiRegion.length && clock.now() - lastSweep >= STALE_SWEEP_MS) {
      lastSweep = clock.now();
      const sweep = sweepStaleRegions()
        .catch((error) => deps.onError?.(error))
        .finally(() => rounds.delete(sweep));
      rounds.add(sweep);
    }
    arm();
  }

  return {
    async start() {
      const unsubscribeWriter = subscribeStoreWriter(deps.bus, store);
      // the last state this instance published per check, for stateOf(); the store has them all
      const unsubscribeStates = deps.bus.subscribe((event) => {
        for (const state of event.states) states.set(state.check, state);
      });
      unsubscribe = () => {
        unsubscribeWriter();
        unsubscribeStates();
      };
      await store.syncSchedule(scheduleEntries(config.checks, clock.now()));
      stopped = false;
      arm();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await Promise.all([...rounds]);
      unsubscribe?.();
      unsubscribe = undefined;
    },
    async runAll() {
      const ownWriter = unsubscribe ? undefined : subscribeStoreWriter(deps.bus, store);
      try {
        const conditions = compileAllConditions(config.checks);
        const local = config.checks.filter(runsLocally);
        const results = await mapLimit(local, config.scheduler.concurrency, (check) =>
          runCheck(check, {
            probes: deps.probes,
            now: () => clock.now(),
            conditionsOf: (c: Check) => conditions.get(c.name) ?? [],
            lastHeartbeat: (name: string) => store.readLastHeartbeat(name),
            inMaintenance: deps.inMaintenance,
          }),
        );
        await publish(local, results);
        return results;
      } finally {
        ownWriter?.();
      }
    },
    stateOf: (name) => states.get(name),
    async ingest(results) {
      const taken = results.filter((result) => byName.has(result.check));
      if (!taken.length) return 0;
      await publish(taken.map((result) => byName.get(result.check)!), taken);
      return taken.length;
    },
  };

  /**
   * Regions go stale by time alone: a check whose agents all stopped gets no result to recompute
   * it, so it is recomputed here. Every instance may do this; their writes are identical.
   */
  function sweepStaleRegions(): Promise<void> {
    return exclusive(async () => {
      const stored = new Map((await store.readStates()).map((state) => [state.check, state]));
      const changed = restaleStates(multiRegion, stored, clock.now());
      if (changed.length) await deps.bus.publish({ results: [], states: changed });
    });
  }

  /** Confirms against the stored state (any instance may have written it) and publishes. */
  function publish(checks: readonly Check[], results: CheckResult[]): Promise<void> {
    return exclusive(async () => {
      const stored = new Map((await store.readStates()).map((state) => [state.check, state]));
      const newStates = await confirmAgainstStore(store, checks, stored, results, clock.now());
      await deps.bus.publish({ results, states: dedupeLatest(newStates) });
    });
  }
}

/** One state per check (the last), as the store writer expects. */
function dedupeLatest(states: CheckState[]): CheckState[] {
  return [...new Map(states.map((state) => [state.check, state])).values()];
}
