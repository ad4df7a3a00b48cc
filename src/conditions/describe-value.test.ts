import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeMs, describeValue } from './describe-value.ts';

describe('describeMs', () => {
  const cases: [number, string][] = [
    [0, '0ms'],
    [412.4, '412ms'],
    [1500, '1.5s'],
    [1234, '1.23s'],
    [45_600, '45.6s'],
    [200_000, '3m 20s'],
    [7_200_000, '2h'],
    [7_205_000, '2h'], // the third unit is dropped on purpose
    [13 * 86_400_000 + 4 * 3_600_000 + 59_000, '13d 4h'],
    [-2 * 86_400_000, '-2d'],
  ];
  for (const [ms, text] of cases) it(`${ms} → ${text}`, () => assert.equal(describeMs(ms), text));
});

describe('describeValue', () => {
  it('quotes text and shortens long values', () => {
    assert.equal(describeValue('text', 'ok'), '"ok"');
    const long = describeValue('text', 'x'.repeat(500));
    assert.equal(long.length, 121);
    assert.ok(long.endsWith('…'));
    assert.equal(describeValue('json', { a: [1] }), '{"a":[1]}');
    assert.equal(describeValue('list', ['10.0.0.1', '::1']), '[10.0.0.1, ::1]');
    assert.equal(describeValue('number', 503), '503');
  });
});
