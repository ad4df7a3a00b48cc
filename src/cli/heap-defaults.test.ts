import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { HEAP_GROWING_PERCENT, heapDefaults } from './heap-defaults.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('../../test/support/heap-churn-child.ts', import.meta.url));

interface Churned {
  applied: string[];
  peakHeapTotal: number;
  peakRss: number;
}

async function churn(nodeFlags: string[]): Promise<Churned> {
  const { stdout } = await run(process.execPath, [...nodeFlags, child], { env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(stdout) as Churned;
}

describe('serve heap defaults', () => {
  it('sets the heap growth unless the operator chose one (flags or NODE_OPTIONS)', () => {
    assert.deepEqual(heapDefaults([], undefined), [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    assert.deepEqual(heapDefaults(['--max-old-space-size=512'], '--enable-source-maps'), [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    assert.deepEqual(heapDefaults(['--heap-growing-percent=0'], undefined), []);
    assert.deepEqual(heapDefaults([], '--enable-source-maps --heap_growing_percent=80'), []);
  });

  // V8's own factor depends on measured GC and mutator speeds (the same workload peaked at 227 and
  // at 516 MB in two runs), so the comparison is with a fixed growth of 300% (V8's largest
  // dynamic factor, 4×), given on the command line: what is tested is that the default set from
  // inside the process takes effect.
  it('set from inside the process, keeps the heap nearer the live set than a 4× growth (peak heapTotal, two processes)', async (t) => {
    const own = await churn(['--heap-growing-percent=300']);
    const defaults = await churn([]);
    t.diagnostic(`peak heapTotal: 4× growth ${(own.peakHeapTotal / 2 ** 20).toFixed(0)} MB, defaults ${(defaults.peakHeapTotal / 2 ** 20).toFixed(0)} MB`);
    assert.deepEqual(own.applied, []);
    assert.deepEqual(defaults.applied, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    assert.ok(
      defaults.peakHeapTotal < 0.8 * own.peakHeapTotal,
      `peak heapTotal ${(defaults.peakHeapTotal / 2 ** 20).toFixed(0)} MB with the defaults, ${(own.peakHeapTotal / 2 ** 20).toFixed(0)} MB without`,
    );
  });
});
