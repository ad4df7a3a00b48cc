import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalProblemLog, isLocalResult, withLocalClass } from './local-failure.ts';
import { z } from 'zod';
import { classifyError } from '../probes/tcp/classify-error.ts';
import { defineProbe } from '../probes/probe.ts';
import { runCheck } from './run-check.ts';

describe('local failures', () => {
  it('classifies a shortage of this host as local, wherever the code is', () => {
    const emfile = Object.assign(new Error('connect EMFILE 127.0.0.1:80 - Local (undefined:undefined)'), { code: 'EMFILE' });
    assert.equal(classifyError(emfile, '127.0.0.1:80').class, 'local');
    assert.equal(classifyError(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOBUFS' }) }), 'h').class, 'local');
    // a probe that did not go through classifyError (its resolver socket, a driver's own message)
    const driver = withLocalClass({ ok: false, latencyMs: 1, failure: { class: 'refused', message: 'could not reach db:5432: connect ENFILE 10.0.0.5:5432' } });
    assert.equal(driver.failure?.class, 'local');
    assert.match(driver.failure?.message ?? '', /out of resources \(ENFILE\).*connect ENFILE/);
    const dnsSocket = withLocalClass({ ok: false, latencyMs: 1, failure: { class: 'dns', message: 'EMFILE: too many open files, socket' } });
    assert.equal(dnsSocket.failure?.class, 'local');
    // a target quoting the code in what it sends is still judged: it cannot hide its failure
    for (const failure of [
      { class: 'body' as const, message: 'header x-error is "connect EMFILE", expected /^ok$/' },
      { class: 'status' as const, message: 'status 503 (EMFILE), expected 200-399' },
      { class: 'protocol' as const, message: '127.0.0.1:22 does not speak SSH (got "connect EMFILE")' },
      { class: 'protocol' as const, message: 'unexpected reply from 127.0.0.1:6379: ERR spawn EMFILE' },
    ]) {
      assert.equal(withLocalClass({ ok: false, latencyMs: 1, failure }).failure?.class, failure.class, failure.message);
    }
    const refused = { ok: false, latencyMs: 1, failure: { class: 'refused' as const, message: 'connection to h:1 refused (ECONNREFUSED)' } };
    assert.equal(withLocalClass(refused), refused);
    assert.equal(isLocalResult({ check: 'c', at: 0, status: 'down', latencyMs: 0, failure: { class: 'local', message: 'm' } }), true);
    assert.equal(isLocalResult({ check: 'c', at: 0, status: 'down', latencyMs: 0, failure: { class: 'timeout', message: 'm' } }), false);
  });

  it('a probe that throws a local shortage is a local result too', async () => {
    const throwsEmfile = defineProbe({
      kind: 'x', schema: z.object({}), describe: () => 'x',
      run: async () => { throw Object.assign(new Error('spawn EMFILE'), { code: 'EMFILE' }); },
    });
    const result = await runCheck(
      { name: 'x', kind: 'x', intervalMs: 60_000, timeoutMs: 1000, conditions: [], probe: {}, target: 'x', regions: ['local'], quorum: 1, confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 } },
      { probes: { x: throwsEmfile }, now: Date.now, conditionsOf: () => [], lastHeartbeat: async () => undefined, shutdown: new AbortController().signal, region: undefined },
    );
    assert.equal(isLocalResult(result), true, JSON.stringify(result.failure));
  });

  it('logs one line per 10 s however many checks fail, with the count it left out', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 0;
    const log = createLocalProblemLog((details) => lines.push(details as Record<string, unknown>), () => now);
    for (let i = 0; i < 500; i++) log(`c${i}`, 'EMFILE');
    now = 10_000;
    log('late', 'EMFILE');
    assert.deepEqual(lines, [
      { check: 'c0', reason: 'EMFILE', alsoNotCounted: 0 },
      { check: 'late', reason: 'EMFILE', alsoNotCounted: 499 },
    ]);
  });
});
