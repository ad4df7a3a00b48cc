/**
 * Packs the raw results of one check for one closed hour into a single deflated blob. The
 * layout is columnar (all time deltas, then all codes, all latencies, …) so deflate sees runs of
 * similar bytes: at one result a minute this is ~3 bytes per result without timings.
 *
 * Inflated payload, format 1 (binary), used when every number is an integer:
 *   0x01, varint n, flags (1 http, 2 region, 4 extra, 8 timings, 16 signed latency),
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

/** Timing columns with firstByte stored relative to the latency (small and repetitive). */
function relativeTimings(s: Sample): TimingColumns {
  const t = timingsToColumns(s);
  if (t[3] !== null) t[3] = s.latency - t[3];
  return t;
}

function encodeBinary(hourStart: number, sorted: readonly Sample[]): Buffer | undefined {
  const timings = sorted.map(relativeTimings);
  const numbers = sorted.flatMap((s) => [s.at - hourStart, s.code, s.latency, s.http, s.regionId]);
  if (!numbers.every(isSmallInt) || !timings.every((t) => t.every(isSmallInt))) return undefined;
  const has = (p: (s: Sample) => boolean) => sorted.some(p);
  const flags =
    (has((s) => s.http !== null) ? FLAG_HTTP : 0) |
    (has((s) => s.regionId !== 0) ? FLAG_REGION : 0) |
    (has((s) => s.extra !== undefined) ? FLAG_EXTRA : 0) |
    (has((s) => s.timings !== undefined) ? FLAG_TIMINGS : 0) |
    (has((s) => s.latency < 0) ? FLAG_SIGNED_LATENCY : 0);
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
  for (const s of sorted) {
    if (flags & FLAG_SIGNED_LATENCY) w.int(s.latency);
    else w.uint(s.latency);
  }
  if (flags & FLAG_HTTP) for (const s of sorted) w.nullable(s.http);
  if (flags & FLAG_REGION) for (const s of sorted) w.uint(s.regionId);
  if (flags & FLAG_TIMINGS) for (let column = 0; column < 5; column++) for (const t of timings) w.nullable(t[column]);
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
  for (const s of samples) s.latency = flags & FLAG_SIGNED_LATENCY ? r.int() : r.uint();
  if (flags & FLAG_HTTP) for (const s of samples) s.http = r.nullable();
  if (flags & FLAG_REGION) for (const s of samples) s.regionId = r.uint();
  if (flags & FLAG_TIMINGS) {
    const columns = samples.map((): TimingColumns => [null, null, null, null, null]);
    for (let column = 0; column < 5; column++) for (const t of columns) t[column] = r.nullable();
    samples.forEach((s, i) => {
      const t = columns[i];
      if (t[3] !== null) t[3] = s.latency - t[3];
      s.timings = timingsFromColumns(s.code, s.latency, t);
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
