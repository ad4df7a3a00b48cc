import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createKeepAlivePool } from './keep-alive-pool.ts';

describe('keep-alive pool', () => {
  it('hands back the newest idle item of a key, once', () => {
    const pool = createKeepAlivePool();
    const closed: string[] = [];
    pool.release('a', 'a1', (x) => closed.push(x), 0);
    pool.release('a', 'a2', (x) => closed.push(x), 0);
    pool.release('b', 'b1', (x) => closed.push(x), 0);
    assert.equal(pool.take('a'), 'a2');
    assert.equal(pool.take('a'), 'a1');
    assert.equal(pool.take('a'), undefined);
    assert.equal(pool.take('b'), 'b1');
    assert.deepEqual(closed, []);
  });

  it('closes what goes over the per-key and total caps instead of keeping it', () => {
    const pool = createKeepAlivePool({ perKey: 2, total: 3 });
    const closed: string[] = [];
    for (const item of ['a1', 'a2', 'a3', 'b1', 'c1']) pool.release(item[0], item, (x) => closed.push(x), 0);
    assert.deepEqual(closed, ['a3', 'c1']);
    assert.equal(pool.size(), 3);
  });

  it('closes items idle past idleMs rather than handing them out', () => {
    let t = 0;
    const pool = createKeepAlivePool({ idleMs: 1000, now: () => t });
    const closed: string[] = [];
    pool.release('a', 'old', (x) => closed.push(x), 0);
    t = 900;
    pool.release('a', 'new', (x) => closed.push(x), 0);
    t = 1500;
    assert.equal(pool.take('a'), 'new');
    assert.deepEqual(closed, ['old']);
    assert.equal(pool.size(), 0);
  });

  it('closes an item older than maxAgeMs instead of keeping it', () => {
    let t = 0;
    const pool = createKeepAlivePool({ maxAgeMs: 10_000, now: () => t });
    const closed: string[] = [];
    t = 9_000;
    pool.release('a', 'young', (x) => closed.push(x), 0);
    t = 10_001;
    pool.release('a', 'old', (x) => closed.push(x), 0);
    assert.deepEqual(closed, ['old']);
    assert.equal(pool.take('a'), 'young');
  });

  it('close() closes every idle item and every later release', () => {
    const pool = createKeepAlivePool();
    const closed: string[] = [];
    pool.release('a', 'a1', (x) => closed.push(x), 0);
    pool.close();
    pool.release('a', 'a2', (x) => closed.push(x), 0);
    assert.deepEqual(closed, ['a1', 'a2']);
    assert.equal(pool.take('a'), undefined);
  });
});
