import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadOnce } from './load-once.ts';

describe('loadOnce', () => {
  it('starts one load for concurrent and later callers', async () => {
    let loads = 0;
    const get = loadOnce(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([get(), get()]);
    assert.equal(a, b);
    assert.equal(await get(), a);
    assert.equal(loads, 1);
  });

  it('tries a failed load again on the next call', async () => {
    let loads = 0;
    const get = loadOnce(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk missing');
      return 'loaded';
    });
    await assert.rejects(get(), /chunk missing/);
    assert.equal(await get(), 'loaded');
    assert.equal(await get(), 'loaded');
    assert.equal(loads, 2);
  });
});
