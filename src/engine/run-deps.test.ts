import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRunDeps } from './run-deps.ts';
import type { Check } from '../domain/check.ts';
import type { ProbeRegistry } from '../probes/registry.ts';

function check(name: string, conditions: string[]): Check {
  return {
    name,
    intervalMs: 60_000,
    timeoutMs: 1000,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    conditions,
    kind: 'tcp',
    probe: {},
    target: name,
    regions: ['local'],
    quorum: 1,
  };
}

const depsFor = (checks: Check[]) =>
  createRunDeps({
    checks,
    probes: {} as ProbeRegistry,
    clock: { now: () => 0 },
    lastHeartbeat: async () => undefined,
    shutdown: new AbortController().signal,
    region: undefined,
  });

describe('run deps', () => {
  it('compiles a shared conditions array once for every check that has it, and holds nothing for checks without', () => {
    // the config loader interns equal arrays, so equal conditions arrive as one array
    const shared = ['status == 200', 'responseTime < 500'];
    const checks = [check('a', shared), check('b', shared), check('c', []), check('d', [])];
    const deps = depsFor(checks);
    const [a, b, c, d] = checks.map((one) => deps.conditionsOf(one));
    assert.equal(a.length, 2);
    assert.equal(b, a, 'one compiled list for both checks');
    assert.equal(c.length, 0);
    assert.equal(d, c, 'one shared empty list');
  });

  it('compiles on first use the conditions of a check it was not built with', () => {
    const deps = depsFor([check('a', [])]);
    const late = check('late', ['status == 204']);
    assert.deepEqual(deps.conditionsOf(late).map((one) => one.text), ['status == 204']);
    assert.equal(deps.conditionsOf(late), deps.conditionsOf(late));
  });

  it('throws when a condition does not compile', () => {
    assert.throws(() => depsFor([check('a', ['status ==== 200'])]), /does not compile/);
  });
});
