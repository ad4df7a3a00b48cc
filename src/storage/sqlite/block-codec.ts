/**
 * Packs the raw results of one check for one closed hour into a single deflated blob. The
 * layout is columnar (all time deltas, then all codes, all latencies, …) so deflate sees runs of
 * similar bytes: at one result a minute this is ~3 bytes per result without timings.
 *
 * Inflated payload, format 1 (binary), used when every number is an integer, or every latency
 * and timing is a whole number of hundredths of a millisecond (the probes' precision):
 *   0x01, varint n, flags (1 http, 2 region, 4 extra, 8 timings, 16 signed latency,
 *       32 latencies and timings are in hundredths of a millisecond),
 *   n × zigzag delta-of-delta of `at` (deltas: first from the hour start, then from the
 *       previous sample; consecutive deltas differ only by scheduling jitter),
 *   n × varint code, n × latency (varint, zigzag if flag 16),
 *   [n × nullable http], [n × varint region id],
 *   [n × nullable dns, connect, tls, latency − firstByte, total (null = latency)],
 *   [UTF-8 JSON array of extras (0 = none) to the end].
 * Anything else (fractional milliseconds, …) falls back to a JSON object (first byte `{`), so
 * every result round-trips exactly.
 * @module
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { timingsFromColumns, timingsToColumns, type Sample, type SampleExtra, type TimingColumns } from './result-codec.ts';

const BINARY = 1;
const FLAG_HTTP = 1;
const FLAG_REGION = 2;
const FLAG_EXTRA = 4;
const FLAG_TIMINGS = 8;
/** Some latency is negative (clock steps): latencies are zigzag-encoded instead of unsigned. */
const FLAG_SIGNED_LATENCY = 16;
/** Latencies and timings are stored as integer hundredths of a millisecond. */
const FLAG_CENTI = 32;
/** Zigzag doubles a value, so stay well inside the safe-integer range. */
const MAX_ABS = 2 ** 50;

const isSmallInt = (v: number | null) => v === null || (Number.isInteger(v) && Math.abs(v) < MAX_ABS);

class Writer {
  readonly bytes: number[] = [];
  uint(v: number): void {
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  int(v: number): void {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  /** null as 0, v as zigzag(v) + 1 */
  nullable(v: number | null): void {
    this.uint(v === null ? 0 : (v >= 0 ? v * 2 : -v * 2 - 1) + 1);
  }
}

class Reader {
  offset = 0;
  readonly data: Buffer;
  constructor(data: Buffer) {
    this.data = data;
  }
  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.data[this.offset++];
      if (byte === undefined) throw new Error('truncated result block');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }
  int(): number {
    const u = this.uint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  nullable(): number | null {
    const u = this.uint();
    if (u === 0) return null;
    return (u - 1) % 2 === 0 ? (u - 1) / 2 : -u / 2;
  }
}

/** `v` × scale as an integer, or undefined when that would not decode back to exactly `v`. */
function scaled(v: number, scale: number): number | undefined {
  const k = Math.round(v * scale);
  return Math.abs(k) < MAX_ABS && (scale === 1 ? k === v : k / scale === v) ? k : undefined;
}

/**
 * Latency and timing columns as integers in `scale` units (firstByte relative to the latency:
 * small and repetitive), or undefined when some value is not a whole number of units.
 */
function scaledColumns(sorted: readonly Sample[], scale: number): { latency: number[]; timings: TimingColumns[] } | undefined {
  const latency: number[] = [];
  const timings: TimingColumns[] = [];
  for (const s of sorted) {
    const l = scaled(s.latency, scale);
    if (l === undefined) return undefined;
    const t = timingsToColumns(s);
    for (let i = 0; i < t.length; i++) {
      const v = t[i];
      if (v === null) continue;
      const k = scaled(v, scale);
      if (k === undefined) return undefined;
      t[i] = k;
    }
    if (t[3] !== null) t[3] = l - t[3];
    latency.push(l);
    timings.push(t);
  }
  return { latency, timings };
}

function encodeBinary(hourStart: number, sorted: readonly Sample[]): Buffer | undefined {
  const integers = sorted.flatMap((s) => [s.at - hourStart, s.code, s.http, s.regionId]);
  if (!integers.every(isSmallInt)) return undefined;
  const whole = scaledColumns(sorted, 1);
  const columns = whole ?? scaledColumns(sorted, 100);
  if (!columns) return undefined;
  const has = (p: (s: Sample) => boolean) => sorted.some(p);
  const flags =
    (has((s) => s.http !== null) ? FLAG_HTTP : 0) |
    (has((s) => s.regionId !== 0) ? FLAG_REGION : 0) |
    (has((s) => s.extra !== undefined) ? FLAG_EXTRA : 0) |
    (has((s) => s.timings !== undefined) ? FLAG_TIMINGS : 0) |
    (has((s) => s.latency < 0) ? FLAG_SIGNED_LATENCY : 0) |
    (whole ? 0 : FLAG_CENTI);
  const w = new Writer();
  w.bytes.push(BINARY);
  w.uint(sorted.length);
  w.bytes.push(flags);
  // delta of deltas: a check runs at a fixed interval, so these are the (small) jitter
  let previous = hourStart;
  let previousDelta = 0;
  for (const s of sorted) {
    const delta = s.at - previous;
    w.int(delta - previousDelta);
    previous = s.at;
    previousDelta = delta;
  }
  for (const s of sorted) w.uint(s.code);
  for (const l of columns.latency) {
    if (flags & FLAG_SIGNED_LATENCY) w.int(l);
    else w.uint(l);
  }
  if (flags & FLAG_HTTP) for (const s of sorted) w.nullable(s.http);
  if (flags & FLAG_REGION) for (const s of sorted) w.uint(s.regionId);
  if (flags & FLAG_TIMINGS) for (let column = 0; column < 5; column++) for (const t of columns.timings) w.nullable(t[column]);
  const head = Buffer.from(w.bytes);
  if (!(flags & FLAG_EXTRA)) return head;
  return Buffer.concat([head, Buffer.from(JSON.stringify(sorted.map((s) => s.extra ?? 0)))]);
}

function decodeBinary(hourStart: number, data: Buffer): Sample[] {
  const r = new Reader(data);
  r.offset = 1;
  const n = r.uint();
  const flags = data[r.offset++];
  const samples: Sample[] = [];
  let at = hourStart;
  let delta = 0;
  for (let i = 0; i < n; i++) {
    delta += r.int();
    at += delta;
    samples.push({ at, regionId: 0, code: 0, latency: 0, http: null, timings: undefined, extra: undefined });
  }
  for (const s of samples) s.code = r.uint();
  const scale = flags & FLAG_CENTI ? 100 : 1;
  const unscale = (k: number | null) => (k === null || scale === 1 ? k : k / scale);
  const latencies = samples.map(() => (flags & FLAG_SIGNED_LATENCY ? r.int() : r.uint()));
  samples.forEach((s, i) => {
    s.latency = unscale(latencies[i]) as number;
  });
  if (flags & FLAG_HTTP) for (const s of samples) s.http = r.nullable();
  if (flags & FLAG_REGION) for (const s of samples) s.regionId = r.uint();
  if (flags & FLAG_TIMINGS) {
    const columns = samples.map((): TimingColumns => [null, null, null, null, null]);
    for (let column = 0; column < 5; column++) for (const t of columns) t[column] = r.nullable();
    samples.forEach((s, i) => {
      const t = columns[i];
      if (t[3] !== null) t[3] = latencies[i] - t[3];
      s.timings = timingsFromColumns(s.code, s.latency, t.map(unscale) as TimingColumns);
    });
  }
  if (flags & FLAG_EXTRA) {
    const extras = JSON.parse(data.subarray(r.offset).toString('utf8')) as (SampleExtra | 0)[];
    samples.forEach((s, i) => {
      s.extra = extras[i] || undefined;
    });
  }
  return samples;
}

/** Packs samples (any order) of one check and one hour into a deflated block. */
export function encodeBlock(hourStart: number, samples: readonly Sample[]): Buffer {
  const sorted = [...samples].sort((x, y) => x.at - y.at || x.regionId - y.regionId);
  const payload = encodeBinary(hourStart, sorted) ?? Buffer.from(JSON.stringify({ s: sorted }));
  return deflateRawSync(payload, { level: 9 });
}

/** Unpacks a block written by `encodeBlock`, oldest first. */
export function decodeBlock(hourStart: number, data: Uint8Array): Sample[] {
  const payload = inflateRawSync(data);
  if (payload[0] === BINARY) return decodeBinary(hourStart, payload);
  // JSON fallback: samples verbatim (undefined fields were dropped by JSON)
  const { s } = JSON.parse(payload.toString('utf8')) as { s: (Omit<Sample, 'timings' | 'extra'> & Partial<Sample>)[] };
  return s.map((x) => ({ ...x, timings: x.timings, extra: x.extra }));
}
