import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../../domain/result.ts';
import { decodeSample, encodeResult } from './result-codec.ts';
import { packHistogram, unpackHistogram } from './rollup-codec.ts';
import { HISTOGRAM_SIZE } from '../../domain/histogram.ts';

const H0 = Date.UTC(2026, 2, 1, 5);

/** Results covering every optional field and the awkward values a probe may produce. */
const samples: CheckResult[] = [
  { check: 'c', at: H0 + 5, status: 'up', latencyMs: 120 },
  { check: 'c', at: H0 + 60_000, status: 'degraded', latencyMs: 1500.25, statusCode: 200, timings: { dns: 1, connect: 3, tls: 9, firstByte: 1400, total: 1500.25 } },
  { check: 'c', at: H0 + 120_000, status: 'down', latencyMs: 10_000, failure: { class: 'timeout', message: 'no answer in 10s' }, timings: { total: 10_001 } },
  { check: 'c', at: H0 + 120_000, status: 'down', latencyMs: 3, region: 'eu-west', failure: { class: 'refused', message: '' }, inMaintenance: true },
  { check: 'c', at: H0 + 180_000, status: 'up', latencyMs: 0.5, inMaintenance: false, details: { certExpiresAt: 1_800_000_000_000, answers: ['1.2.3.4'] } },
  // a failure class from a newer version and a field this codec does not know are kept verbatim
  { check: 'c', at: H0 + 240_000, status: 'down', latencyMs: 7, failure: { class: 'quic' as never, message: 'x' }, ...({ agent: 'a1' } as object) },
  { check: 'c', at: H0 + 300_000, status: 'up', latencyMs: 44, statusCode: 204, timings: { connect: 2.5, firstByte: 40.125, total: 44 } },
];

const regionIds: Record<string, number> = { 'eu-west': 7 };
const regionNames = new Map(Object.entries(regionIds).map(([name, id]) => [id, name]));
const encode = (r: CheckResult) => encodeResult(r, r.region ? regionIds[r.region] : 0);
const decode = (s: ReturnType<typeof encode>) => decodeSample(s, 'c', regionNames.get(s.regionId));

describe('result codec', () => {
  it('round-trips every field of a result exactly', () => {
    for (const r of samples) assert.deepEqual(decode(encode(r)), r);
  });

  it('drops transient probe output (body, headers) instead of storing it', () => {
    const r = { check: 'c', at: H0, status: 'up', latencyMs: 1, body: 'x'.repeat(1000), headers: { a: 'b' } } as CheckResult;
    assert.deepEqual(decode(encode(r)), { check: 'c', at: H0, status: 'up', latencyMs: 1 });
  });
});

describe('histogram packing', () => {
  it('round-trips sparse and large counts', () => {
    const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
    histogram[0] = 1;
    histogram[4] = 127;
    histogram[5] = 128;
    histogram[HISTOGRAM_SIZE - 1] = 5_000_000_123;
    const packed = packHistogram(histogram);
    assert.ok(packed.length < 16);
    assert.deepEqual(unpackHistogram(packed), histogram);
    assert.equal(packHistogram(new Array<number>(HISTOGRAM_SIZE).fill(0)).length, 0);
  });
});
