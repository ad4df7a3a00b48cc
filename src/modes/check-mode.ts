/**
 * `upstate check` as a mode: every check run once, now, through the engine with a memory state
 * authority and no store — nothing is written, nothing is scheduled. Push (heartbeat) checks
 * are skipped: only a running server receives their pings.
 * @module
 */
import type { UpstateConfig } from '../config/types.ts';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { createEngine, type EngineLogger } from '../engine/engine.ts';
import { createMemoryStateAuthority } from '../engine/memory-state-authority.ts';

export interface CheckOnceDeps {
  config: Pick<UpstateConfig, 'checks' | 'scheduler'>;
  probes: ProbeRegistry;
  /** Told of every run that failed (it then has no result). */
  logger: EngineLogger;
  clock?: Clock;
}

/** What one pass produced, per configured check: a result, a skip, or a failed run. */
export type CheckOutcome =
  | { check: Check; result: CheckResult }
  | { check: Check; skipped: string }
  | { check: Check; failed: true };

/** Runs every check once; outcomes keep the config's order. */
export async function runChecksOnce(deps: CheckOnceDeps): Promise<CheckOutcome[]> {
  const clock = deps.clock ?? systemClock;
  const engine = createEngine({
    checks: deps.config.checks,
    concurrency: deps.config.scheduler.concurrency,
    probes: deps.probes,
    clock,
    lastHeartbeat: async () => undefined,
    logger: deps.logger,
    authority: createMemoryStateAuthority({ bus: createResultBus(), clock }),
  });
  const probed = deps.config.checks.filter((check) => check.kind !== 'heartbeat');
  try {
    const results = new Map((await engine.run(probed)).map((result) => [result.check, result]));
    return deps.config.checks.map((check): CheckOutcome => {
      if (check.kind === 'heartbeat') return { check, skipped: 'push check: pinged by the job, not probed' };
      const result = results.get(check.name);
      return result ? { check, result } : { check, failed: true };
    });
  } finally {
    await engine.stop();
  }
}
