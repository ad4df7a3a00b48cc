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
 * `outcome`, or a `local` failure in its place when the loop was starved while it was measured:
 * - a timeout whose timer fired more than `STARVED_AFTER_MS` late (`timerLateMs`: undefined when
 *   the timer never fired), or
 * - any run whose wall time (`elapsedMs`, measured by the runner) exceeded its hard deadline
 *   (`deadlineMs`: timeout + grace) by more than `STARVED_AFTER_MS`: the runner gives up on every
 *   probe at that deadline, so the extra time was spent waiting for the CPU, and the outcome's
 *   latency (or verdict) would be a lie about the target.
 */
export function unlessStarved(outcome: ProbeOutcome, timing: { timerLateMs: number | undefined; elapsedMs: number; deadlineMs: number }): ProbeOutcome {
  const { timerLateMs, elapsedMs, deadlineMs } = timing;
  const lateTimeout = outcome.failure?.class === 'timeout' && timerLateMs !== undefined && timerLateMs > STARVED_AFTER_MS;
  const overran = elapsedMs > deadlineMs + STARVED_AFTER_MS;
  if (!lateTimeout && !overran) return outcome;
  const measured = outcome.failure ? outcome.failure.message : `answered in ${Math.round(outcome.latencyMs)} ms`;
  const why = lateTimeout
    ? `the timeout fired ${Math.round(timerLateMs!)} ms late`
    : `the run took ${Math.round(elapsedMs)} ms, past its ${deadlineMs} ms deadline`;
  return { ...outcome, ok: false, failure: { class: 'local', message: `event loop was blocked: ${why}, so this is no verdict on the target (${measured})` } };
}
