import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import type { CheckResult } from '../../domain/result.ts';
import { decodeBlock, encodeBlock } from './block-codec.ts';
import { decodeSample, encodeResult } from './result-codec.ts';

const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 2, 1, 5);
const regionIds: Record<string, number> = { 'eu-west': 7, 'us-east': 300 };
const regionNames = new Map(Object.entries(regionIds).map(([name, id]) => [id, name]));
const encode = (r: CheckResult) => encodeResult(r, r.region ? regionIds[r.region] : 0);
const roundTrip = (results: CheckResult[]) => {
  const block = encodeBlock(H0, [...results].reverse().map(encode));
  const decoded = decodeBlock(H0, block).map((s) => decodeSample(s, 'c', regionNames.get(s.regionId)));
  return { block, decoded, format: inflateRawSync(block)[0] };
};

/** Integer-valued results using every column of the binary format. */
const integral: CheckResult[] = [
  { check: 'c', at: H0, status: 'up', latencyMs: 0 },
  { check: 'c', at: H0 + 60_000, status: 'degraded', latencyMs: 1500, statusCode: 200, timings: { dns: 1, connect: 3, tls: 9, firstByte: 1400, total: 1500 } },
  { check: 'c', at: H0 + 60_000, status: 'down', latencyMs: 10_000, region: 'us-east', failure: { class: 'timeout', message: 'no answer' }, timings: { total: 10_001 } },
  { check: 'c', at: H0 + 120_000, status: 'down', latencyMs: 3, region: 'eu-west', failure: { class: 'refused', message: '' }, inMaintenance: true },
  { check: 'c', at: H0 + 180_000, status: 'up', latencyMs: 9, inMaintenance: false, details: { answers: ['1.2.3.4'] } },
  // firstByte after total (clock skew) gives a negative relative value
  { check: 'c', at: H0 + HOUR - 1, status: 'up', latencyMs: 44, statusCode: 204, timings: { connect: 2, firstByte: 50, total: 44 } },
];

describe('result block codec', () => {
  it('round-trips integer results through the binary format, oldest first', () => {
    const { decoded, format } = roundTrip(integral);
    assert.equal(format, 1);
    assert.deepEqual(decoded, integral);
    // a negative latency (clock step) switches latencies to signed encoding
    const stepped = integral.map((r, i) => (i === 2 ? { ...r, latencyMs: -3 } : r));
    assert.deepEqual(roundTrip(stepped).decoded, stepped);
  });

  it('stores hundredths of a millisecond (the probes\' precision) in the binary format, exactly', () => {
    const centi: CheckResult[] = [
      ...integral,
      { check: 'c', at: H0 + 240_000, status: 'up', latencyMs: 0.5, timings: { firstByte: 0.25, total: 0.5 } },
      { check: 'c', at: H0 + 300_000, status: 'up', latencyMs: 123.45, statusCode: 200, timings: { dns: 0.07, connect: 12.3, firstByte: 100.01, total: 123.46 } },
    ];
    const { decoded, format } = roundTrip(centi);
    assert.equal(format, 1);
    assert.deepEqual(decoded, [...centi].sort((a, b) => a.at - b.at || (a.region === 'us-east' ? 1 : 0) - (b.region === 'us-east' ? 1 : 0)));
  });

  it('falls back to JSON for finer fractions and still round-trips exactly', () => {
    const fractional: CheckResult[] = [...integral, { check: 'c', at: H0 + 240_000, status: 'up', latencyMs: 1 / 3, timings: { firstByte: 0.125, total: 1 / 3 } }];
    const { decoded, format } = roundTrip(fractional);
    assert.equal(format, '{'.charCodeAt(0));
    assert.deepEqual(decoded, [...fractional].sort((a, b) => a.at - b.at || (a.region === 'us-east' ? 1 : 0) - (b.region === 'us-east' ? 1 : 0)));
  });

  it('packs an hour of probe-precision http results into about 13 bytes per result (was 28 as JSON)', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const r2 = (v: number) => Math.round(v * 100) / 100;
    const hour: CheckResult[] = Array.from({ length: 60 }, (_, i) => {
      const dns = r2(0.3 + random() * 2);
      const connect = r2(5 + random() * 30);
      const latency = r2(dns + connect + 10 + random() * 150);
      return {
        check: 'c',
        at: H0 + i * 60_000 + Math.floor(random() * 300),
        status: 'up' as const,
        latencyMs: latency,
        statusCode: 200,
        timings: { dns, connect, firstByte: r2(latency - 0.5), total: latency },
      };
    });
    const { block, decoded, format } = roundTrip(hour);
    assert.equal(format, 1);
    assert.ok(block.length / 60 < 14, `${block.length / 60} bytes per result`);
    assert.deepEqual(decoded, hour);
  });

  it('packs a typical minute-interval hour into about 3 bytes per result', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const hour: CheckResult[] = Array.from({ length: 60 }, (_, i) => ({
      check: 'c',
      at: H0 + i * 60_000 + Math.floor(random() * 300),
      status: 'up',
      latencyMs: 80 + Math.floor(random() * 120),
      statusCode: 200,
    }));
    const { block, decoded } = roundTrip(hour);
    assert.ok(block.length / 60 < 4, `${block.length / 60} bytes per result`);
    assert.deepEqual(decoded, hour);
    assert.equal(decodeBlock(H0, encodeBlock(H0, [])).length, 0);
  });
});
