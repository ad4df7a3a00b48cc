import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { runCheck, type RunCheckDeps } from './run-check.ts';
import { defineProbe } from '../probes/probe.ts';
import type { Check } from '../domain/check.ts';
import type { ProbeOutcome } from '../domain/result.ts';

function check(kind: string, extra: Partial<Check> = {}): Check {
  return {
    name: kind,
    intervalMs: 60_000,
    timeoutMs: 300,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    conditions: [],
    kind,
    probe: {},
    target: kind,
    regions: ['local'],
    quorum: 1,
    ...extra,
  };
}

const outcome = (partial: Partial<ProbeOutcome>): ProbeOutcome => ({ ok: true, latencyMs: 5, ...partial });

const probes = {
  // ignores its abort signal entirely: the runner must still return on time
  deaf: defineProbe({ kind: 'deaf', schema: z.object({}), describe: () => 'deaf', run: () => new Promise<ProbeOutcome>(() => {}) }),
  // a bug inside a probe
  buggy: defineProbe({ kind: 'buggy', schema: z.object({}), describe: () => 'buggy', run: async () => { throw new TypeError('x is undefined'); } }),
  slow: defineProbe({ kind: 'slow', schema: z.object({}), describe: () => 'slow', run: async () => outcome({ latencyMs: 900, statusCode: 200, body: 'secret body', headers: { a: 'b' } }) }),
  aborted: defineProbe({
    kind: 'aborted',
    schema: z.object({}),
    describe: () => 'aborted',
    run: (_c, ctx) =>
      new Promise<ProbeOutcome>((resolve) =>
        ctx.signal.addEventListener('abort', () => resolve(outcome({ ok: false, failure: { class: 'reset', message: 'socket closed' } }))),
      ),
  }),
};

const deps: RunCheckDeps = {
  probes,
  now: () => 1_700_000_000_000,
  conditionsOf: () => [],
  lastHeartbeat: async () => undefined,
  shutdown: new AbortController().signal,
  region: undefined,
};

describe('runCheck', () => {
  it('returns a timeout result when a probe ignores its signal: at timeout + 250 ms grace, on a mocked clock', async (t) => {
    // Mocked timers make the deadline exact and independent of how busy the machine is.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    // the runner also reads performance.now() to tell a starved loop from a slow target: it follows
    // the mocked clock, or a descheduled test process would look starved
    let elapsedMs = 0;
    t.mock.method(performance, 'now', () => elapsedMs);
    const tick = (ms: number) => {
      elapsedMs += ms;
      t.mock.timers.tick(ms);
    };
    const turn = () => new Promise((resolve) => setImmediate(resolve)); // setImmediate stays real
    let settled = false;
    const pending = runCheck(check('deaf'), deps).finally(() => (settled = true));
    await turn();
    tick(300); // the signal fires; the deaf probe does not care
    await turn();
    assert.equal(settled, false, 'the runner grants the probe its grace after the signal');
    tick(249);
    await turn();
    assert.equal(settled, false, 'still within the grace');
    tick(1);
    await turn();
    assert.equal(settled, true, 'given up exactly at timeout + grace');
    const result = await pending;
    assert.equal(result.status, 'down');
    assert.equal(result.failure?.class, 'timeout');
    assert.match(result.failure!.message, /no answer within 300 ms/);
  });

  it('reports an error caused by the timeout abort as a timeout', async () => {
    const result = await runCheck(check('aborted'), deps);
    assert.equal(result.failure?.class, 'timeout');
  });

  it('turns a probe bug into data instead of an exception', async () => {
    const result = await runCheck(check('buggy'), deps);
    assert.equal(result.status, 'down');
    assert.equal(result.failure?.class, 'protocol');
    assert.match(result.failure!.message, /x is undefined/);
  });

  it('marks slow successes degraded and drops transient body and headers', async () => {
    const result = await runCheck(check('slow', { degradedAfterMs: 500 }), deps);
    assert.equal(result.status, 'degraded');
    assert.equal(result.statusCode, 200);
    assert.equal(result.at, 1_700_000_000_000);
    assert.equal('body' in result, false);
    assert.equal('headers' in result, false);
    assert.equal((await runCheck(check('slow'), deps)).status, 'up');
  });

  it('flags results inside a maintenance window', async () => {
    const result = await runCheck(check('slow'), { ...deps, inMaintenance: (name) => name === 'slow' });
    assert.equal(result.inMaintenance, true);
  });
});
