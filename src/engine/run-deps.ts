/**
 * The dependencies of `runCheck`, built in one place for every mode: compiled conditions,
 * the clock, heartbeat lookups, maintenance, the shutdown signal and the region results are
 * stamped with. (Before the engine, four wirings built these and two forgot `shutdown`/`region`.)
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { HeartbeatPing } from '../storage/store.ts';
import type { ProbeRunners } from '../probes/probe.ts';
import type { Clock } from '../kernel/clock.ts';
import { compileCondition, type CompiledCondition } from '../conditions/compile-condition.ts';
import type { RunCheckDeps } from '../pipeline/run-check.ts';
import type { KeepAlivePool } from '../probes/keep-alive-pool.ts';

export interface RunDepsOptions {
  checks: readonly Check[];
  probes: ProbeRunners;
  clock: Pick<Clock, 'now'>;
  /** Last ping of a push check; modes without a store answer `undefined`. */
  lastHeartbeat(check: string): Promise<HeartbeatPing | undefined>;
  inMaintenance?(check: string, at: number): boolean;
  /** Aborts every run in flight when the engine stops. */
  shutdown: AbortSignal;
  /** Region stamped on every result (agents); absent for the server's own runs (`local`). */
  region: string | undefined;
  /** Idle connections shared by every run of the engine (it outlives a reload's new deps). */
  keepAlive?: KeepAlivePool;
}

/** Builds the deps once; throws when a condition does not compile (config loading validated them). */
export function createRunDeps(options: RunDepsOptions): RunCheckDeps {
  const conditions = compileAllConditions(options.checks);
  return {
    probes: options.probes,
    now: () => options.clock.now(),
    conditionsOf: (check) => conditions.get(check.name) ?? [],
    lastHeartbeat: options.lastHeartbeat,
    inMaintenance: options.inMaintenance,
    shutdown: options.shutdown,
    region: options.region,
    keepAlive: options.keepAlive,
  };
}

/** Compiles every check's conditions once. */
function compileAllConditions(checks: readonly Check[]): Map<string, CompiledCondition[]> {
  return new Map(
    checks.map((check) => [
      check.name,
      check.conditions.map((text) => {
        const compiled = compileCondition(text);
        if (!compiled.ok) throw new Error(`condition "${text}" does not compile: ${compiled.error.message}`);
        return compiled.condition;
      }),
    ]),
  );
}
