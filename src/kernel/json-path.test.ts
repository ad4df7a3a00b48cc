import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJsonPath, parseJsonPath } from './json-path.ts';

describe('json path', () => {
  const doc = { status: 'ok', 'a b': { c: [10, 20, { d: null }] }, list: [1, 2, 3] };
  const get = (path: string) => evaluateJsonPath(doc, parseJsonPath(path)!);

  it('parses the supported forms and rejects others', () => {
    assert.deepEqual(parseJsonPath('$'), []);
    assert.deepEqual(parseJsonPath(`$['a b'].c[2].d`), ['a b', 'c', 2, 'd']);
    assert.deepEqual(parseJsonPath('$["x"][-1]'), ['x', -1]);
    assert.equal(parseJsonPath('status'), undefined);
    assert.equal(parseJsonPath('$.items[*]'), undefined);
    assert.equal(parseJsonPath('$..deep'), undefined);
  });

  it('finds values, lengths and negative indexes', () => {
    assert.deepEqual(get('$.status'), { found: true, value: 'ok' });
    assert.deepEqual(get(`$['a b'].c[2].d`), { found: true, value: null });
    assert.deepEqual(get('$.list[-1]'), { found: true, value: 3 });
    assert.deepEqual(get('$.list.length'), { found: true, value: 3 });
    assert.deepEqual(get('$'), { found: true, value: doc });
  });

  it('reports missing values as not found', () => {
    assert.deepEqual(get('$.nope'), { found: false });
    assert.deepEqual(get('$.list[3]'), { found: false });
    assert.deepEqual(get('$.status.inner'), { found: false });
    assert.deepEqual(get('$.list.toString'), { found: false });
  });
});
