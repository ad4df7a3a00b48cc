import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResult, encodeResult } from './result-codec.ts';
import type { CheckResult } from '../../domain/result.ts';

describe('postgres result codec', () => {
  it('round-trips the handshake timing and the auth class, and still reads rows written before them', () => {
    const result: CheckResult = {
      check: 'bastion',
      at: 1_700_000_000_000,
      status: 'down',
      latencyMs: 42,
      timings: { dns: 1, connect: 2, handshake: 30, total: 42 },
      failure: { class: 'auth', message: '127.0.0.1:22 rejected the login' },
    };
    const columns = encodeResult(result);
    const decoded = decodeResult('bastion', { at: columns.at, latency_ms: columns.latencyMs, status: columns.status, status_code: columns.statusCode, extra: JSON.parse(columns.extra!) });
    assert.deepEqual(decoded, result);
    // A row from before `handshake` existed: five positional timings.
    const old = decodeResult('web', { at: 1, latency_ms: 5, status: 0, status_code: 200, extra: { t: [1, 2, null, 4, 5] } });
    assert.deepEqual(old.timings, { dns: 1, connect: 2, firstByte: 4, total: 5 });
  });
});
