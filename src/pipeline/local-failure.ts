/**
 * Failures of this host rather than of the target: Upstate's own process ran out of file
 * descriptors, socket buffers or memory, or was starved of CPU so long that its measurement
 * means nothing. Such a result is not a verdict on the target: the engine logs it and never
 * publishes it, so it counts toward no down, alert or uptime figure.
 * @module
 */
import type { CheckResult, ProbeOutcome } from '../domain/result.ts';

/**
 * Node's codes for a local resource shortage, as they appear in error messages (`connect EMFILE
 * 127.0.0.1:80`). Probes that go through `classifyError` already say `local`; this catches the
 * others (a spawned `ping`, a DNS socket, a driver's wrapped error).
 */
const LOCAL_CODE = /\b(EMFILE|ENFILE|ENOBUFS|ENOMEM)\b/;

/** `outcome` with its failure reclassified as `local` when its message names a local shortage. */
export function withLocalClass(outcome: ProbeOutcome): ProbeOutcome {
  const failure = outcome.failure;
  if (!failure || failure.class === 'local') return outcome;
  const code = LOCAL_CODE.exec(failure.message)?.[1];
  if (!code) return outcome;
  return { ...outcome, failure: { class: 'local', message: `this host is out of resources (${code}): not a verdict on the target (${failure.message})` } };
}

/** True for a result that says something about this host, not the target: never publish it. */
export function isLocalResult(result: CheckResult): boolean {
  return result.failure?.class === 'local';
}

/** How often a run of local problems is logged: one line per window, however many checks fail. */
const REPORT_WINDOW_MS = 10_000;

/**
 * A logger for dropped local results, bounded to one line per 10 s: when the host is out of
 * descriptors every check fails at once, and a line per check would make it worse.
 */
export function createLocalProblemLog(
  log: (details: object, message: string) => void,
  now: () => number,
): (check: string, reason: string) => void {
  let windowEnds = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (check, reason) => {
    const at = now();
    if (at < windowEnds) {
      suppressed++;
      return;
    }
    windowEnds = at + REPORT_WINDOW_MS;
    log({ check, reason, alsoNotCounted: suppressed }, 'result not counted: this host failed, not the target');
    suppressed = 0;
  };
}
