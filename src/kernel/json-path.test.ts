import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJsonPath, parseJsonPath } from './json-path.ts';

describe('json path', () => {
  const doc = { status: 'ok', 'a b': { c: [10, 20, { d: null }] }, list: [1, 2, 3] };
  const steps = (path: string) => {
    const parsed = parseJsonPath(path);
    return parsed.ok ? parsed.steps : undefined;
  };
  const get = (path: string) => evaluateJsonPath(doc, steps(path)!);

  it('parses the supported forms and rejects others', () => {
    assert.deepEqual(steps('$'), []);
    assert.deepEqual(steps(`$['a b'].c[2].d`), ['a b', 'c', 2, 'd']);
    assert.deepEqual(steps('$["x"][-1]'), ['x', -1]);
    assert.deepEqual(steps(`$['it\\'s']["a\\"b"]`), ["it's", 'a"b']);
    assert.deepEqual(steps('$.content-type.a:b'), ['content-type', 'a:b']);
    assert.deepEqual(parseJsonPath('status'), { ok: false, error: 'a JSON path starts with "$", e.g. $.status' });
    assert.match(String(Object(parseJsonPath('$.items[*]')).error), /wildcards are not supported/);
    assert.match(String(Object(parseJsonPath('$..deep')).error), /recursive descent/);
    assert.match(String(Object(parseJsonPath('$.items[x]')).error), /unexpected "\[x\]"/);
    assert.match(String(Object(parseJsonPath('$.a b')).error), /unexpected " b"/);
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
