/**
 * Maps a `CheckResult` to the narrow `results` row and back. The common fields get typed columns;
 * the rare ones share one small JSON value with one-letter keys and positional timings, because
 * raw results are the bulk of the database. Decoding restores exactly the fields that were set.
 * @module
 */
import { FAILURE_CLASSES, type CheckResult, type FailureClass, type ResultStatus, type Timings } from '../../domain/result.ts';

const STATUSES: readonly ResultStatus[] = ['up', 'degraded', 'down'];
// Positional: new keys go at the end so rows written before them still decode.
const TIMING_KEYS = ['dns', 'connect', 'tls', 'firstByte', 'total', 'handshake'] as const;

/** The compact JSON column: failure as [class index, message], timings positional. */
interface Extra {
  f?: [number | string, string];
  t?: (number | null)[];
  d?: Record<string, unknown>;
  r?: string;
  m?: boolean;
}

/** The typed columns of one result (check name resolved to its id by the caller). */
export interface ResultColumns {
  at: number;
  latencyMs: number;
  status: number;
  statusCode: number | null;
  /** JSON text or null when the result has none of the rare fields. */
  extra: string | null;
}

export function encodeResult(result: CheckResult): ResultColumns {
  const extra: Extra = {};
  if (result.failure) {
    const index = FAILURE_CLASSES.indexOf(result.failure.class);
    extra.f = [index >= 0 ? index : result.failure.class, result.failure.message];
  }
  if (result.timings) {
    const timings = result.timings as unknown as Record<string, number | undefined>;
    extra.t = TIMING_KEYS.map((key) => timings[key] ?? null);
  }
  if (result.details !== undefined) extra.d = result.details;
  if (result.region !== undefined) extra.r = result.region;
  if (result.inMaintenance !== undefined) extra.m = result.inMaintenance;
  return {
    at: result.at,
    latencyMs: result.latencyMs,
    status: STATUSES.indexOf(result.status),
    statusCode: result.statusCode ?? null,
    extra: Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
  };
}

/** A `results` row as read back (json already parsed by the driver). */
export interface ResultRow {
  at: number;
  latency_ms: number;
  status: number;
  status_code: number | null;
  extra: Extra | null;
  [column: string]: unknown;
}

export function decodeResult(check: string, row: ResultRow): CheckResult {
  const result: CheckResult = { check, at: row.at, status: STATUSES[row.status] ?? 'down', latencyMs: row.latency_ms };
  if (row.status_code !== null) result.statusCode = row.status_code;
  const extra = row.extra;
  if (!extra) return result;
  if (extra.f) {
    const [cls, message] = extra.f;
    result.failure = { class: (typeof cls === 'number' ? FAILURE_CLASSES[cls] : cls) as FailureClass, message };
  }
  if (extra.t) {
    const timings: Record<string, number> = {};
    TIMING_KEYS.forEach((key, i) => {
      const value = extra.t?.[i];
      if (value !== null && value !== undefined) timings[key] = value;
    });
    result.timings = timings as unknown as Timings;
  }
  if (extra.d !== undefined) result.details = extra.d;
  if (extra.r !== undefined) result.region = extra.r;
  if (extra.m !== undefined) result.inMaintenance = extra.m;
  return result;
}
