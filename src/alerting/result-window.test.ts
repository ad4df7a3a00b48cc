import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../domain/result.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

  it('a window of 0 keeps only the latest; an emptied window fills again', () => {
    const none = createResultWindow(0);
    none.add([r(10), r(20)]);
    assert.deepEqual(none.results(), []);
    assert.equal(none.latest()?.at, 20);
    const a = createResultWindow(100);
    const b = createResultWindow(100);
    a.add([r(10)]);
    a.trim(200);
    assert.deepEqual(a.results(), [], 'trimmed to empty');
    a.add([r(250), r(240)]);
    assert.deepEqual(a.results().map((x) => x.at), [240, 250], 'fills again, in order');
    assert.deepEqual(b.results(), [], 'another empty window is not touched');
    b.clear();
    b.add([r(5)]);
    assert.deepEqual(b.results().map((x) => x.at), [5]);
    assert.deepEqual(a.results().map((x) => x.at), [240, 250], 'windows never share results');
  });

  it('costs little memory per window (one per alerted check: 100,000 at scale)', () => {
    // bytes, not time: the heap after a full GC with 50,000 windows held, each with one result
    // (shared by all, so only the windows count). Closures over a context cost ~415 B each.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const result = [r(1_000)];
    const count = 50_000;
    const windows = new Array(count);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) {
      const window = createResultWindow(i % 2 ? 120_000 : 0);
      window.add(result);
      windows[i] = window;
    }
    gc();
    gc();
    const perWindow = (process.memoryUsage().heapUsed - before) / count;
    assert.equal(windows.length, count);
    assert.ok(perWindow < 200, `${perWindow.toFixed(0)} B per window`);
  });
});
