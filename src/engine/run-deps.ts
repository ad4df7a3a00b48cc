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
    // a check outside the list (none today) compiles on first use rather than losing its conditions
    conditionsOf: (check) => (check.conditions.length ? (conditions.get(check.conditions) ?? compileInto(conditions, check.conditions)) : NO_CONDITIONS),
    lastHeartbeat: options.lastHeartbeat,
    inMaintenance: options.inMaintenance,
    shutdown: options.shutdown,
    region: options.region,
    keepAlive: options.keepAlive,
  };
}

const NO_CONDITIONS: readonly CompiledCondition[] = Object.freeze([]);

/**
 * Compiles every check's conditions once, keyed by the conditions array itself: the config
 * loader interns equal arrays (`src/config/intern-values.ts`), so checks with the same conditions
 * share one compiled list, and checks without conditions hold nothing (a Map entry per check
 * name was ~78 bytes per check at 20,000 checks).
 */
function compileAllConditions(checks: readonly Check[]): Map<readonly string[], readonly CompiledCondition[]> {
  const compiled = new Map<readonly string[], readonly CompiledCondition[]>();
  for (const check of checks) if (check.conditions.length && !compiled.has(check.conditions)) compileInto(compiled, check.conditions);
  return compiled;
}

function compileInto(into: Map<readonly string[], readonly CompiledCondition[]>, texts: readonly string[]): readonly CompiledCondition[] {
  const list = texts.map((text) => {
    const compiled = compileCondition(text);
    if (!compiled.ok) throw new Error(`condition "${text}" does not compile: ${compiled.error.message}`);
    return compiled.condition;
  });
  into.set(texts, list);
  return list;
}
