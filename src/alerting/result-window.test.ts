import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../domain/result.ts';
import { createResultWindow } from './result-window.ts';

const r = (at: number, extra: Partial<CheckResult> = {}): CheckResult => ({ check: 'c', at, status: 'up', latencyMs: at, ...extra });

describe('result window', () => {
  it('keeps results ordered, once each, within the window and the cap', () => {
    const window = createResultWindow(100, 4);
    window.add([r(10), r(30), r(20), r(30), r(25, { inMaintenance: true })]);
    assert.deepEqual(window.results().map((x) => x.at), [10, 20, 30], 'sorted, duplicate and maintenance dropped');
    window.add([r(30, { region: 'eu' })]);
    assert.equal(window.results().length, 4, 'same time from another region is another result');
    window.add([r(40), r(50)]);
    assert.deepEqual(window.results().map((x) => x.at), [30, 30, 40, 50], 'capped to the newest 4');
    window.trim(140);
    assert.deepEqual(window.results().map((x) => x.at), [50]);
    assert.equal(window.latest()?.at, 50);
    window.clear();
    assert.deepEqual(window.results(), []);
    assert.equal(window.latest()?.at, 50, 'latest survives a clear');
  });
});
