import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalProblemLog, isLocalResult, withLocalClass } from './local-failure.ts';
import { classifyError } from '../probes/tcp/classify-error.ts';

describe('local failures', () => {
  it('classifies a shortage of this host as local, wherever the code is', () => {
    const emfile = Object.assign(new Error('connect EMFILE 127.0.0.1:80 - Local (undefined:undefined)'), { code: 'EMFILE' });
    assert.equal(classifyError(emfile, '127.0.0.1:80').class, 'local');
    assert.equal(classifyError(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOBUFS' }) }), 'h').class, 'local');
    // a probe that did not go through classifyError (spawn, a driver's own message)
    const spawned = withLocalClass({ ok: false, latencyMs: 1, failure: { class: 'protocol', message: 'could not start ping: spawn ping ENFILE' } });
    assert.equal(spawned.failure?.class, 'local');
    assert.match(spawned.failure?.message ?? '', /out of resources \(ENFILE\).*spawn ping ENFILE/);
    const refused = { ok: false, latencyMs: 1, failure: { class: 'refused' as const, message: 'connection to h:1 refused (ECONNREFUSED)' } };
    assert.equal(withLocalClass(refused), refused);
    assert.equal(isLocalResult({ check: 'c', at: 0, status: 'down', latencyMs: 0, failure: { class: 'local', message: 'm' } }), true);
    assert.equal(isLocalResult({ check: 'c', at: 0, status: 'down', latencyMs: 0, failure: { class: 'timeout', message: 'm' } }), false);
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
