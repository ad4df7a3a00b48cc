import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkIndex } from './check-index.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';
import { liveHeapAndBufferBytes } from '../../test/support/live-heap.ts';

describe('checkIndex', () => {
  it('finds the first position of every name, as a Map built in order would, and nothing else', () => {
    const random = seededRandom(5);
    // names that sort differently by code unit than by locale or by number, and repeats
    const pool = ['check-9', 'check-10', 'B', 'a', 'é', 'e\u0301', '', 'Z z', '😀', 'check-1'];
    const checks = Array.from({ length: 2_000 }, (_, i) => ({ name: random() < 0.5 ? pool[i % pool.length] : `c-${Math.floor(random() * 1_500)}` }));
    const expected = new Map<string, number>();
    checks.forEach(({ name }, position) => {
      if (!expected.has(name)) expected.set(name, position);
    });
    const index = checkIndex(checks);
    for (const [name, position] of expected) {
      assert.equal(index.get(name), position, name);
      assert.equal(index.has(name), true, name);
    }
    for (const missing of ['c-1500', 'check-', 'b', 'é ', 'c-']) {
      assert.equal(index.get(missing), expected.get(missing), missing);
      assert.equal(index.has(missing), expected.has(missing), missing);
    }
    assert.equal(checkIndex([]).get('x'), undefined);
  });

  it('is built once per checks array', () => {
    const checks = [{ name: 'a' }, { name: 'b' }];
    assert.equal(checkIndex(checks), checkIndex(checks));
    assert.notEqual(checkIndex(checks), checkIndex([...checks]));
  });

  it('costs under 8 bytes per check at 100,000 checks (a Map by name was ~37; bytes after a full GC)', (t) => {
    const checks = Array.from({ length: 100_000 }, (_, i) => ({ name: `check-${i}` }));
    const before = liveHeapAndBufferBytes();
    const index = checkIndex(checks);
    const perCheck = (liveHeapAndBufferBytes() - before) / checks.length;
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check`);
    assert.equal(index.get('check-99999'), 99_999);
    assert.ok(perCheck < 8, `${perCheck.toFixed(1)} bytes per check`);
  });
});
