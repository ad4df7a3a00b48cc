import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLatencyExpression, parseShareExpression, RuleExpressionError } from './rule-expression.ts';

describe('rule expressions', () => {
  it('parses latency expressions', () => {
    assert.deepEqual(parseLatencyExpression('p95 > 800ms over 10m'), {
      stat: { kind: 'percentile', p: 95 },
      op: '>',
      thresholdMs: 800,
      overMs: 600_000,
      text: 'p95 > 800ms over 10m',
    });
    const compact = parseLatencyExpression('P99.9>=2s over 1h');
    assert.deepEqual([compact.stat, compact.op, compact.thresholdMs, compact.overMs], [{ kind: 'percentile', p: 99.9 }, '>=', 2000, 3_600_000]);
    assert.deepEqual(parseLatencyExpression('avg < 50ms over 30s').stat, { kind: 'avg' });
  });

  it('parses share expressions with an optional operator', () => {
    assert.deepEqual(parseShareExpression('5% over 5m'), { op: '>=', ratio: 0.05, overMs: 300_000, text: '5% over 5m' });
    assert.equal(parseShareExpression('> 0.5% over 1h').op, '>');
    assert.equal(parseShareExpression('> 0.5% over 1h').ratio, 0.005);
  });

  it('names the bad token in every error', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => parseLatencyExpression('p101 > 800ms over 10m'), /unknown statistic "p101"/],
      [() => parseLatencyExpression('p95 = 800ms over 10m'), /operator .* found "="/],
      [() => parseLatencyExpression('p95 > 800 over 10m'), /latency with a unit .* found "800"/],
      [() => parseLatencyExpression('p95 > 800ms during 10m'), /"over <duration>" but found "during"/],
      [() => parseLatencyExpression('p95 > 800ms over soon'), /found "soon"/],
      [() => parseLatencyExpression('p95 > 800ms over 10m please'), /unexpected "please"/],
      [() => parseLatencyExpression('p95 >'), /found the end/],
      [() => parseShareExpression('five% over 5m'), /percentage like 5% but found "five%"/],
      [() => parseShareExpression('150% over 5m'), /found "150%"/],
      [() => parseShareExpression('5%'), /"over <duration>" but found the end/],
    ];
    for (const [parse, message] of cases) {
      assert.throws(parse, (e: unknown) => e instanceof RuleExpressionError && message.test(e.message));
    }
  });
});
