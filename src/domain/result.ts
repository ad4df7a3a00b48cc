/**
 * The facts a probe produces and the store keeps. Everything downstream (status model, alerts,
 * page, APIs) is computed from these records, so they are plain data: JSON-serialisable, no
 * classes, times as epoch milliseconds.
 * @module
 */

/** Why a check failed. Every failure a probe can see maps to exactly one class. */
export const FAILURE_CLASSES = [
  'dns', // name did not resolve (NXDOMAIN, SERVFAIL, resolver unreachable)
  'refused', // nothing listening: ECONNREFUSED, unreachable host
  'timeout', // no complete answer before the check's timeout
  'tls', // handshake failed, certificate invalid/expired/wrong host
  'reset', // the peer closed or reset the connection mid-exchange
  'status', // an answer arrived but its status/code was not the expected one
  'body', // an answer arrived but its content failed an assertion (body, headers, conditions)
  'protocol', // the peer did not speak the expected protocol (garbage instead of HTTP, …)
  'auth', // the peer rejected our credentials (SSH login, database password, …)
  // this host, not the target: out of fds/buffers/memory, or starved of CPU (src/pipeline/local-failure.ts).
  // Such results are never published, so they never count toward down, alerts or uptime.
  'local',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** One failure: its class plus a short human message naming what was wrong. */
export interface Failure {
  class: FailureClass;
  message: string;
}

/** Phase timings in milliseconds; a phase that did not happen is absent. */
export interface Timings {
  dns?: number;
  connect?: number;
  tls?: number;
  /** Protocol handshake after connect: WebSocket upgrade, SSH key exchange, STARTTLS negotiation. */
  handshake?: number;
  firstByte?: number;
  total: number;
}

/**
 * What a probe returns. `ok` is the probe's own verdict on its assertions; the scheduler adds
 * latency-based degradation and confirmation on top.
 */
export interface ProbeOutcome {
  ok: boolean;
  /**
   * The target's response time in ms: the total time the probe spent (equal to `timings.total`),
   * except for icmp, where it is the average round trip (the wall time is mostly the interval).
   */
  latencyMs: number;
  timings?: Timings;
  failure?: Failure;
  /** HTTP status code, when the probe spoke HTTP. */
  statusCode?: number;
  /** Kind-specific facts (certificate expiry, DNS answers, …) for conditions and the detail page. */
  details?: Record<string, unknown>;
  /**
   * The (capped) response body and headers, for conditions only. Transient: the pipeline drops
   * them before a result is stored or published.
   */
  body?: string;
  headers?: Record<string, string>;
}

/** The status a single result reports (before confirmation is applied). */
export type ResultStatus = 'up' | 'degraded' | 'down';

/** A probe outcome stamped with which check produced it, when, and its per-result status. */
export interface CheckResult {
  /** Check name: the stable identity of a check across restarts. */
  check: string;
  /** When the probe started, epoch ms. */
  at: number;
  status: ResultStatus;
  latencyMs: number;
  statusCode?: number;
  failure?: Failure;
  timings?: Timings;
  details?: Record<string, unknown>;
  /** Region that produced the result ('local' for the instance itself). */
  region?: string;
  /** True when the result fell inside a maintenance window: stored, but not counted in uptime. */
  inMaintenance?: boolean;
}
