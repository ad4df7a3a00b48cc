import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPickerGroups } from './check-picker-groups.ts';

/**
 * Counts the elements every array iteration (for…of, spread) steps over while `run` runs: a list
 * copied per check by spreading shows as n²/2 steps, a list appended in place as a few per check.
 */
function iterationSteps(run: () => void): number {
  const proto = Object.getPrototypeOf([][Symbol.iterator]()) as { next: (...args: unknown[]) => IteratorResult<unknown> };
  const next = proto.next;
  let steps = 0;
  proto.next = function (this: unknown, ...args: unknown[]) {
    steps++;
    return next.apply(this, args);
  };
  try {
    run();
  } finally {
    proto.next = next;
  }
  return steps;
}

describe('check picker groups', () => {
  it('groups checks as on the page, in config order', () => {
    const groups = checkPickerGroups([{ name: 'api', group: 'Core' }, { name: 'cron' }, { name: 'db', group: 'Core' }, { name: 'mail', group: 'Edge' }]);
    assert.deepEqual(groups, [
      { name: 'Core', checks: ['api', 'db'] },
      { name: '', checks: ['cron'] },
      { name: 'Edge', checks: ['mail'] },
    ]);
  });

  it('steps over each check a bounded number of times, not once per check before it in its group', () => {
    const n = 4_000;
    const checks = Array.from({ length: n }, (_, i) => ({ name: `check-${i}`, group: `group-${i % 2}` }));
    let groups: ReturnType<typeof checkPickerGroups> = [];
    const steps = iterationSteps(() => {
      groups = checkPickerGroups(checks);
    });
    assert.deepEqual(groups.map((g) => g.checks.length), [n / 2, n / 2]);
    // linear: one pass over the checks and one over the groups; a copy per check would be ~n²/4 = 4,000,000
    assert.ok(steps <= 3 * n, `${steps} iteration steps for ${n} checks`);
  });
});
