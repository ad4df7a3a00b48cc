/**
 * Judges a check whose target never answers without a wall-clock bound a busy machine can
 * break: the check must end at its timeout (its signal fired, or its own deadline ran out), and
 * the probe's own reported latency must stay within timeout + RETURN_GRACE_MS + twice the
 * event-loop lag this process measured meanwhile (loop-lag.ts). When the signal struck before
 * the phase the case is about (connect or handshake still pending because the machine was
 * starved), the case runs again with 4 s, then 16 s; a probe naming the wrong phase fails every
 * attempt.
 * @module
 */
import assert from 'node:assert/strict';
import type { ProbeOutcome } from '../../src/domain/result.ts';
import type { ProbeContext } from '../../src/probes/probe.ts';
import { testProbeContext } from './hostile/probe-context.ts';
import { watchLoopLag } from './loop-lag.ts';

/** Timeout of a check with a definite answer: far beyond any scheduling delay, so load cannot turn the answer into a timeout. */
export const ANSWER_TIMEOUT_MS = 15_000;
/**
 * How long after its signal a probe may take to come back on an idle machine: tearing down
 * sockets, not waiting. Less than the http probe's backstop (timeout + 1 s), so a probe that
 * ignores the signal and waits for a backstop fails.
 */
export const RETURN_GRACE_MS = 500;
/** Longer timeouts for a retry when the signal came before the phase under test. */
const RETRY_TIMEOUTS_MS = [4000, 16_000];
/**
 * A probe may end the check by its own deadline timer (grpc's call deadline) in the same turn
 * of a late event loop as the signal's timer, just before it; Date.now()'s whole milliseconds
 * make such a deadline up to ~1 ms early. That check still waited out its timeout.
 */
const TIMER_SLACK_MS = 5;

/** Runs the check under test with the context it is given. */
export type RunWith = (ctx: ProbeContext) => Promise<ProbeOutcome>;

export interface ExpectTimeoutOptions {
  /** The first attempt's timeout, ms. */
  timeoutMs: number;
  /** What the message must name (the phase the case is about); a mismatch on an attempt but the last means "try again, longer". */
  phase?: RegExp;
  /** Shown in the retry note. */
  name?: string;
}

/**
 * Runs a check that ends only when its time is up, whatever class it then reports (a browser
 * step waiting for text that never appears reports 'body'), and asserts the probe's own
 * latency stays within timeout + RETURN_GRACE_MS + twice the event-loop lag measured meanwhile.
 */
export async function expectEndsByTimeout(run: RunWith, timeoutMs: number): Promise<ProbeOutcome> {
  const lag = watchLoopLag();
  const outcome = await run(testProbeContext(timeoutMs));
  const maxLagMs = await lag.stop();
  const bound = timeoutMs + RETURN_GRACE_MS + 2 * maxLagMs;
  assert.ok(outcome.latencyMs <= bound, `reported ${Math.round(outcome.latencyMs)} ms; bound ${bound} ms = timeout ${timeoutMs} + ${RETURN_GRACE_MS} + 2 × event-loop lag ${maxLagMs}`);
  return outcome;
}

/**
 * Runs `run` against a target that never answers and asserts the check ended at its timeout,
 * promptly after its signal. Returns the last attempt's outcome (its class is 'timeout').
 */
export async function expectTimeout(run: RunWith, options: ExpectTimeoutOptions): Promise<ProbeOutcome> {
  const timeouts = [options.timeoutMs, ...RETRY_TIMEOUTS_MS.filter((ms) => ms > options.timeoutMs)];
  for (const [attempt, timeoutMs] of timeouts.entries()) {
    const ctx = testProbeContext(timeoutMs);
    const lag = watchLoopLag();
    const started = performance.now();
    const outcome = await run(ctx);
    // a lower bound only: a busy machine makes a check later, never earlier
    const waitedOut = ctx.signal.aborted || performance.now() - started >= timeoutMs - TIMER_SLACK_MS;
    const maxLagMs = await lag.stop();
    assert.equal(outcome.failure?.class, 'timeout', `got ${JSON.stringify(outcome.failure)}`);
    assert.equal(waitedOut, true, `a target that never answers ends the check at its timeout, not before (after ${Math.round(performance.now() - started)} ms)`);
    const bound = timeoutMs + RETURN_GRACE_MS + 2 * maxLagMs;
    assert.ok(outcome.latencyMs <= bound, `reported ${Math.round(outcome.latencyMs)} ms; bound ${bound} ms = timeout ${timeoutMs} + ${RETURN_GRACE_MS} + 2 × event-loop lag ${maxLagMs}`);
    // a steps check names its step first: step 2 "drip": timed out after …
    assert.match(outcome.failure.message, new RegExp(`(^|: )timed out after ${timeoutMs} ms\\b`));
    const early = options.phase !== undefined && !options.phase.test(outcome.failure.message);
    if (!early || attempt === timeouts.length - 1) return outcome;
    console.log(`${options.name ?? 'check'}: "${outcome.failure.message}" after ${Math.round(outcome.latencyMs)} ms (event-loop lag up to ${maxLagMs} ms): the signal came before the phase under test; again with a longer timeout`);
  }
  throw new Error('unreachable: the last attempt returns');
}

/**
 * Runs a check whose target gives a definite answer with ANSWER_TIMEOUT_MS and asserts the answer
 * came before the signal, so its class never depends on how busy the machine is.
 */
export async function expectAnswer(run: RunWith, timeoutMs = ANSWER_TIMEOUT_MS): Promise<ProbeOutcome> {
  const ctx = testProbeContext(timeoutMs);
  const outcome = await run(ctx);
  assert.equal(ctx.signal.aborted, false, `answered within ${timeoutMs} ms instead of waiting for the signal: ${JSON.stringify(outcome.failure)}`);
  return outcome;
}
