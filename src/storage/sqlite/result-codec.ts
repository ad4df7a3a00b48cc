/**
 * The compact form of a raw result. The fields every result has become small integers (status,
 * maintenance flag, failure class and "has timings" share one `code`; timings are five nullable
 * numbers); the rare ones (failure message, details) go into an `extra` object. Closed hours are
 * packed by block-codec.ts.
 * Decoding gives back exactly the object that was stored (same keys present), so callers can
 * compare results structurally.
 * @module
 */
import { FAILURE_CLASSES, type CheckResult, type FailureClass, type Timings } from '../../domain/result.ts';

const STATUSES = ['up', 'degraded', 'down'] as const;
const MAINTENANCE_BIT = 4;
const FAILURE_SHIFT = 3;
const FAILURE_MASK = 0xf << FAILURE_SHIFT;
/** Set when the result had `timings` (stored in their own columns). */
const TIMINGS_BIT = 0x80;
const TIMING_KEYS = new Set(['dns', 'connect', 'tls', 'firstByte', 'total']);

/** Rare fields of a result; short keys because this is stored per row. */
export interface SampleExtra {
  /** failure message */
  m?: string;
  /** failure class not in FAILURE_CLASSES (kept rather than lost) */
  fc?: string;
  /** timings with keys this codec does not know (the usual ones are columns) */
  t?: Timings;
  d?: Record<string, unknown>;
  /** `inMaintenance: false` was given explicitly */
  mf?: 1;
  /** fields this codec does not know yet, kept verbatim */
  o?: Record<string, unknown>;
}

/** A result without its check name, as stored. */
export interface Sample {
  at: number;
  /** 0 when the result has no region. */
  regionId: number;
  code: number;
  latency: number;
  http: number | null;
  timings: Timings | undefined;
  extra: SampleExtra | undefined;
}

/** Turns a result into its stored form. */
export function encodeResult(result: CheckResult, regionId: number): Sample {
  // body/headers are transient probe output that the pipeline must drop; never store them
  const { check: _c, at, status, latencyMs, statusCode, failure, timings, details, region: _r, inMaintenance, ...other } =
    result as CheckResult & { body?: unknown; headers?: unknown };
  delete (other as { body?: unknown }).body;
  delete (other as { headers?: unknown }).headers;
  const extra: SampleExtra = {};
  let code = Math.max(0, STATUSES.indexOf(status));
  if (inMaintenance) code |= MAINTENANCE_BIT;
  else if (inMaintenance === false) extra.mf = 1;
  if (failure) {
    const index = FAILURE_CLASSES.indexOf(failure.class);
    if (index >= 0) code |= (index + 1) << FAILURE_SHIFT;
    else extra.fc = failure.class;
    extra.m = failure.message;
  }
  let columnTimings: Timings | undefined;
  if (timings && Object.keys(timings).every((k) => TIMING_KEYS.has(k))) {
    code |= TIMINGS_BIT;
    columnTimings = timings;
  } else if (timings) extra.t = timings;
  if (details) extra.d = details;
  if (Object.keys(other).length) extra.o = other;
  return {
    at,
    regionId,
    code,
    latency: latencyMs,
    http: statusCode ?? null,
    timings: columnTimings,
    extra: Object.keys(extra).length ? extra : undefined,
  };
}

/** Turns a stored sample back into the result that was recorded. */
export function decodeSample(sample: Sample, check: string, region: string | undefined): CheckResult {
  const { extra } = sample;
  const result: CheckResult = {
    ...(extra?.o ?? {}),
    check,
    at: sample.at,
    status: STATUSES[sample.code & 3] ?? 'down',
    latencyMs: sample.latency,
  };
  if (sample.http !== null) result.statusCode = sample.http;
  const failureIndex = (sample.code & FAILURE_MASK) >> FAILURE_SHIFT;
  if (failureIndex > 0 || extra?.fc !== undefined) {
    const failureClass = (extra?.fc ?? FAILURE_CLASSES[failureIndex - 1]) as FailureClass;
    result.failure = { class: failureClass, message: extra?.m ?? '' };
  }
  if (sample.timings) result.timings = sample.timings;
  else if (extra?.t) result.timings = extra.t;
  if (extra?.d) result.details = extra.d;
  if (region !== undefined) result.region = region;
  if (sample.code & MAINTENANCE_BIT) result.inMaintenance = true;
  else if (extra?.mf) result.inMaintenance = false;
  return result;
}

/** A sample's timings as five nullable columns; `total` is null when it equals the latency. */
export type TimingColumns = [dns: number | null, connect: number | null, tls: number | null, firstByte: number | null, total: number | null];

export function timingsToColumns(sample: Sample): TimingColumns {
  const t = sample.timings;
  if (!t) return [null, null, null, null, null];
  return [t.dns ?? null, t.connect ?? null, t.tls ?? null, t.firstByte ?? null, t.total === sample.latency ? null : t.total];
}

/** Rebuilds timings from columns; undefined when the sample had none (see TIMINGS_BIT). */
export function timingsFromColumns(code: number, latency: number, columns: TimingColumns): Timings | undefined {
  if (!(code & TIMINGS_BIT)) return undefined;
  const [dns, connect, tls, firstByte, total] = columns;
  const timings: Timings = { total: total ?? latency };
  if (dns !== null) timings.dns = dns;
  if (connect !== null) timings.connect = connect;
  if (tls !== null) timings.tls = tls;
  if (firstByte !== null) timings.firstByte = firstByte;
  return timings;
}
