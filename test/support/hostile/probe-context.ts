/**
 * A `ProbeContext` for tests and the soak helper, driven by a real AbortSignal that fires at
 * the timeout — exactly what the scheduler hands a probe.
 * @module
 */
import type { ProbeContext } from '../../../src/probes/probe.ts';

/** Builds a context whose signal aborts after `timeoutMs`. */
export function testProbeContext(timeoutMs: number, check = 'hostile-test'): ProbeContext {
  return {
    check,
    signal: AbortSignal.timeout(timeoutMs),
    timeoutMs,
    now: () => Date.now(),
    lastHeartbeat: async () => undefined,
  };
}
