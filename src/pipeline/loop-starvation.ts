/**
 * A timeout is only a verdict on the target if this process was able to watch for the answer.
 * When the event loop is blocked (a CPU-bound burst, a busy host, start-up work), a target that
 * answered in 2 ms still "times out": the reply sits in the socket buffer while the timers fire
 * first. The run's own timeout timer tells us: if it fired much later than it was due, the loop
 * was starved for at least that long, and the timeout says nothing about the target.
 * @module
 */
import type { ProbeOutcome } from '../domain/result.ts';

/**
 * How late the timeout timer may fire before the run counts as starved. The hard deadline gives
 * a probe 250 ms after its signal; a loop that is later than that has broken the deadline itself.
 */
export const STARVED_AFTER_MS = 250;

/**
 * `outcome`, or a `local` failure in its place when it is a timeout and the timeout timer fired
 * more than `STARVED_AFTER_MS` late (`timerLateMs`: undefined when the timer never fired).
 */
export function unlessStarved(outcome: ProbeOutcome, timerLateMs: number | undefined): ProbeOutcome {
  if (outcome.failure?.class !== 'timeout' || timerLateMs === undefined || timerLateMs <= STARVED_AFTER_MS) return outcome;
  const late = Math.round(timerLateMs);
  return {
    ...outcome,
    failure: { class: 'local', message: `event loop was blocked: the timeout fired ${late} ms late, so this timeout is no verdict on the target (${outcome.failure.message})` },
  };
}
