/**
 * The in-process schedule source: the min-heap scheduler of `src/scheduler/` (a stable phase per
 * check, a global concurrency bound, no overlap of a check with itself), each slot handed to the
 * engine as a run of one check.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { Clock } from '../kernel/clock.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import type { ScheduleSource } from './schedule-source.ts';
import { firstRoundWindowMs } from './first-round-spread.ts';

export interface HeapScheduleSourceDeps {
  /** The checks this process runs. */
  checks: readonly Check[];
  clock: Clock;
  concurrency: number;
  /** Checks to run within seconds of start instead of at their first slot (e.g. never reported). */
  runSoon?(check: Check): boolean;
  /** Delay between a slot and the start of its run. */
  onLag?(lagMs: number): void;
}

export function createHeapScheduleSource(deps: HeapScheduleSourceDeps): ScheduleSource {
  let scheduler: Scheduler | undefined;
  return {
    async start(run, report) {
      scheduler = createScheduler({
        checks: deps.checks,
        clock: deps.clock,
        concurrency: deps.concurrency,
        // a run that throws is logged by the engine; what rejects here is the commit
        run: async (check) => void (await run([check])),
        onError: (error, check) => report(error, { check: check.name, stage: 'commit' }),
        runSoon: deps.runSoon,
        startupSpreadMs: firstRoundWindowMs(deps.checks),
        onLag: deps.onLag,
      });
      scheduler.start();
    },
    async stop() {
      await scheduler?.stop();
    },
  };
}
