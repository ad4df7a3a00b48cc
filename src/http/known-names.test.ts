import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createKnownNames } from './known-names.ts';
import { checkIndex } from '../domain/check-index.ts';
import { liveHeapAndBufferBytes } from '../../test/support/live-heap.ts';

describe('createKnownNames', () => {
  it('knows exactly the config’s check and group names', () => {
    const known = createKnownNames([{ name: 'api', group: 'core' }, { name: 'db' }, { name: 'web', group: 'edge' }]);
    assert.deepEqual(['api', 'db', 'web', 'API', 'core', ''].map((name) => known.checks.has(name)), [true, true, true, false, false, false]);
    assert.deepEqual([...known.groups], ['core', 'edge']);
  });

  it('looks check names up in the shared check index: under 8 bytes per check once used (a Set of its own was ~26)', (t) => {
    const checks = Array.from({ length: 100_000 }, (_, i) => ({ name: `check-${i}` }));
    // the server builds the index at start-up for the engine, evaluator and page
    checkIndex(checks);
    const known = createKnownNames(checks);
    const before = liveHeapAndBufferBytes();
    assert.equal(known.checks.has('check-99999'), true);
    assert.equal(known.checks.has('check-100000'), false);
    const perCheck = (liveHeapAndBufferBytes() - before) / checks.length;
    t.diagnostic(`${perCheck.toFixed(1)} bytes per check`);
    assert.ok(perCheck < 8, `${perCheck.toFixed(1)} bytes per check`);
  });
});
