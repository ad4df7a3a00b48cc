import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import { alertsConfigSchema } from '../alerts-config.ts';
import { rulesForCheck } from './resolve-rules.ts';
import type { AlertRule } from './alert-rule.ts';
import { evaluateRule, percentile } from './evaluate-rule.ts';

const NOW = 1_000_000_000;
function rule(kind: string, value: unknown): AlertRule {
  const alerts = alertsConfigSchema.parse({ defaults: { down: false, [kind]: value } });
  return rulesForCheck(alerts, { name: 'c', kind: 'http' }).find((r) => r.kind === kind)!;
}
const result = (agoMs: number, latencyMs: number, extra: Partial<CheckResult> = {}): CheckResult => ({ check: 'c', at: NOW - agoMs, status: 'up', latencyMs, ...extra });

describe('evaluateRule', () => {
  it('computes exact nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.equal(percentile([1, 2, 3, 4], 75), 3);
  });

  it('latency: breaching when the statistic crosses the threshold within the window only', () => {
    const latency = rule('latency', 'p95 > 800ms over 10m');
    const fast = Array.from({ length: 19 }, (_, i) => result(i * 10_000, 100));
    assert.equal(evaluateRule(latency, { now: NOW, results: fast }).verdict, 'ok');
    // 2 slow of 21 → p95 rank 20 → slow
    const slow = [...fast, result(5_000, 900), result(6_000, 1200)];
    const evaluation = evaluateRule(latency, { now: NOW, results: slow });
    assert.equal(evaluation.verdict, 'breaching');
    assert.match(evaluation.observed!, /^p95 900ms over 10m \(21 results\)$/);
    // slow results older than the window do not count
    const old = [...fast, result(11 * 60_000, 5000), result(12 * 60_000, 5000)];
    assert.equal(evaluateRule(latency, { now: NOW, results: old }).verdict, 'ok');
    assert.equal(evaluateRule(latency, { now: NOW, results: [result(20 * 60_000, 5000)] }).verdict, 'insufficient');
  });

  it('percentile and share rules need minSamples results: one slow first response is INSUFFICIENT_DATA, not a page', () => {
    const p95 = rule('latency', 'p95 > 800ms over 1m');
    const first = { now: NOW, results: [result(1_000, 1338)], intervalMs: 2_000 };
    const one = evaluateRule(p95, first);
    assert.equal(one.verdict, 'insufficient');
    assert.match(one.observed!, /1 result, fewer than the 5 needed/);
    const five = { now: NOW, results: Array.from({ length: 5 }, (_, i) => result(i * 2_000, 1338)), intervalMs: 2_000 };
    assert.equal(evaluateRule(p95, five).verdict, 'breaching');
    // the default never asks for more than half the results the window can hold
    assert.equal(evaluateRule(p95, { ...first, intervalMs: 30_000 }).verdict, 'breaching');
    // an explicit minSamples wins, in both directions
    assert.equal(evaluateRule(rule('latency', { when: 'p95 > 800ms over 1m', minSamples: 1 }), first).verdict, 'breaching');
    assert.equal(evaluateRule(rule('latency', { when: 'p95 > 800ms over 1m', minSamples: 6 }), five).verdict, 'insufficient');
    // max/min/avg: one sample can say it all, so no default
    assert.equal(evaluateRule(rule('latency', 'max > 800ms over 1m'), first).verdict, 'breaching');
    const faults = rule('faults', '50% over 1m');
    assert.equal(evaluateRule(faults, { now: NOW, results: [result(1_000, 50, { statusCode: 503 })], intervalMs: 2_000 }).verdict, 'insufficient');
    assert.equal(evaluateRule(faults, { now: NOW, results: Array.from({ length: 5 }, (_, i) => result(i * 1_000, 50, { statusCode: 503 })), intervalMs: 2_000 }).verdict, 'breaching');
    assert.throws(() => rule('faults', { when: '50% over 1m', minSamples: 0 }), /minSamples/);
  });

  it('errors/throttles/faults: share of 4xx / 429 / 5xx', () => {
    const window = {
      now: NOW,
      results: [
        ...Array.from({ length: 17 }, (_, i) => result(i * 1000, 50, { statusCode: 200 })),
        result(1, 50, { statusCode: 404 }),
        result(2, 50, { statusCode: 429 }),
        result(3, 50, { statusCode: 503, status: 'down' }),
        result(4, 50, { status: 'down', failure: { class: 'timeout', message: 't' } }),
      ],
    };
    // 1 of 21 each ≈ 4.8%: below 5%, at least 4%
    assert.equal(evaluateRule(rule('errors', '5% over 5m'), window).verdict, 'ok');
    const errors = evaluateRule(rule('errors', '4% over 5m'), window);
    assert.equal(errors.verdict, 'breaching');
    assert.equal(errors.observed, '4.8% 4xx responses over 5m (1 of 21)');
    assert.equal(evaluateRule(rule('throttles', '4% over 5m'), window).observed, '4.8% 429 responses over 5m (1 of 21)');
    assert.equal(evaluateRule(rule('faults', '> 4.7% over 5m'), window).verdict, 'breaching');
    assert.equal(evaluateRule(rule('faults', '> 4.8% over 5m'), window).verdict, 'ok');
    assert.equal(evaluateRule(rule('faults', '1% over 5m'), { now: NOW, results: [] }).verdict, 'insufficient');
  });

  it('certificate: from the newest result carrying certificate details', () => {
    const certificate = rule('certificate', '14d');
    const day = 86_400_000;
    const latest = (expiresInMs: number) => result(0, 10, { details: { certificate: { expiresInMs } } });
    assert.equal(evaluateRule(certificate, { now: NOW, results: [], latest: latest(30 * day) }).verdict, 'ok');
    const soon = evaluateRule(certificate, { now: NOW, results: [], latest: latest(9 * day + 5) });
    assert.deepEqual(soon, { verdict: 'breaching', observed: 'certificate expires in 9 days' });
    assert.equal(evaluateRule(certificate, { now: NOW, results: [], latest: latest(-2 * day) }).observed, 'certificate expired 2 days ago');
    assert.equal(evaluateRule(certificate, { now: NOW, results: [], latest: result(0, 10) }).verdict, 'insufficient');
  });

  it('down/heartbeat: the confirmed status', () => {
    const down = rule('down', true);
    const state = (status: CheckState['status']): CheckState => ({
      check: 'c',
      status,
      since: NOW,
      streak: 0,
      lastResult: result(0, 10, { status: 'down', failure: { class: 'refused', message: 'connection refused' } }),
    });
    assert.deepEqual(evaluateRule(down, { now: NOW, results: [], state: state('down') }), { verdict: 'breaching', observed: 'connection refused' });
    assert.equal(evaluateRule(down, { now: NOW, results: [], state: state('degraded') }).verdict, 'ok');
    assert.equal(evaluateRule(down, { now: NOW, results: [], state: state('unknown') }).verdict, 'insufficient');
    assert.equal(evaluateRule(down, { now: NOW, results: [] }).verdict, 'insufficient');
  });
});
