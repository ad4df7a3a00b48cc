/**
 * A check whose process is starved of CPU (here: a busy loop longer than the timeout, right after
 * the request went out) sees its timeout fire late, after the target had long answered. That is a
 * verdict on this host, not on the target: it must not be published as a timeout/down.
 * The target runs in its own process, so it answers on time while this one is blocked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Check } from '../domain/check.ts';
import { systemClock } from '../kernel/clock.ts';
import { createResultBus, type ResultEvent } from '../kernel/result-bus.ts';
import { probes } from '../probes/registry.ts';
import { createEngine } from '../engine/engine.ts';
import { createMemoryStateAuthority } from '../engine/memory-state-authority.ts';
import { runCheck } from './run-check.ts';
import { STARVED_AFTER_MS, unlessStarved } from './loop-starvation.ts';

const TIMEOUT_MS = 500;
const BLOCK_MS = 2000;

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // starve the event loop, as a CPU-bound burst on a busy host would
  }
}

describe('unlessStarved', () => {
  it('turns a timeout whose timer fired late, or any run that overran its timeout, into a local failure', () => {
    const timeout = { ok: false, latencyMs: 600, failure: { class: 'timeout' as const, message: 'no answer within 500 ms' } };
    assert.equal(unlessStarved(timeout, { timerLateMs: undefined, elapsedMs: 600, deadlineMs: 750 }), timeout);
    assert.equal(unlessStarved(timeout, { timerLateMs: STARVED_AFTER_MS, elapsedMs: 600, deadlineMs: 750 }), timeout);
    assert.match(unlessStarved(timeout, { timerLateMs: STARVED_AFTER_MS + 1, elapsedMs: 600, deadlineMs: 750 }).failure?.message ?? '', /^event loop was blocked: the timeout fired 251 ms late/);
    const reset = { ok: false, latencyMs: 100, failure: { class: 'reset' as const, message: 'closed' } };
    assert.equal(unlessStarved(reset, { timerLateMs: 5000, elapsedMs: 700, deadlineMs: 750 }), reset);
    // an answer measured at 2 s under a 500 ms timeout: the time went to a blocked loop
    const slowUp = { ok: true, latencyMs: 2023 };
    const starved = unlessStarved(slowUp, { timerLateMs: undefined, elapsedMs: 2023, deadlineMs: 750 });
    assert.deepEqual([starved.ok, starved.failure?.class], [false, 'local']);
    assert.match(starved.failure?.message ?? '', /took 2023 ms, past its 750 ms deadline.*answered in 2023 ms/);
    // a probe that ignored its signal and was given up at the hard deadline timed out for real
    const deaf = { ok: false, latencyMs: 760, failure: { class: 'timeout' as const, message: 'no answer within 500 ms' } };
    assert.equal(unlessStarved(deaf, { timerLateMs: 3, elapsedMs: 760, deadlineMs: 750 }), deaf);
    // a probe's own latency figure (icmp: the average round trip) is not the wall time: only the latter counts
    const onTime = { ok: true, latencyMs: 2000 };
    assert.equal(unlessStarved(onTime, { timerLateMs: undefined, elapsedMs: 700, deadlineMs: 750 }), onTime);
  });
});

describe('event-loop starvation during a check', () => {
  let target: ChildProcess;
  let url: string;

  before(async () => {
    const script = "const s=require('http').createServer((q,r)=>{if(q.url!=='/hang')setTimeout(()=>r.end('fine'),q.url==='/100ms'?100:0)}).listen(0,'127.0.0.1',()=>console.log(s.address().port))";
    target = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = (await once(target.stdout!, 'data')) as [Buffer];
    url = `http://127.0.0.1:${chunk.toString().trim()}/`;
  });
  after(() => {
    target.kill('SIGKILL');
  });

  function httpCheck(name: string, path = '', timeoutMs = TIMEOUT_MS): Check {
    const probe = probes.http.schema.parse({ url: `${url}${path}` });
    return {
      name, kind: 'http', intervalMs: 60_000, timeoutMs, conditions: [], probe, target: url, regions: ['local'], quorum: 1,
      confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    };
  }

  it('the target is fast: without starvation the check is up', async () => {
    const shutdown = new AbortController();
    // a generous timeout: on a loaded host the target's own process may take a while to be scheduled
    const result = await runCheck(httpCheck('plain', '', 10_000), {
      probes, now: Date.now, conditionsOf: () => [], lastHeartbeat: async () => undefined, shutdown: shutdown.signal, region: undefined,
    });
    assert.equal(result.status, 'up', result.failure?.message);
  });

  it('a target that never answers is still a timeout when the loop is free', async () => {
    const shutdown = new AbortController();
    // A busy test machine can starve a run too; such a run is rightly no verdict (class local), so
    // run again until one ran with the loop free: that one must be the target's timeout.
    let result: Awaited<ReturnType<typeof runCheck>> | undefined;
    for (let attempt = 0; attempt < 5 && (!result || result.failure?.class === 'local'); attempt++) {
      result = await runCheck(httpCheck('silent', 'hang'), {
        probes, now: Date.now, conditionsOf: () => [], lastHeartbeat: async () => undefined, shutdown: shutdown.signal, region: undefined,
      });
    }
    assert.deepEqual([result?.status, result?.failure?.class], ['down', 'timeout'], result?.failure?.message);
  });

  it('a run starved past its timeout is not published: no result, no down state, one log line', async (t) => {
    const bus = createResultBus();
    const events: ResultEvent[] = [];
    bus.subscribe((event) => void events.push(event));
    const errors: [object, string][] = [];
    // answers in 100 ms, far inside the timeout; the loop is blocked from 20 ms to 2 s
    const check = httpCheck('starved', '100ms');
    const engine = createEngine({
      checks: [check], concurrency: 1, probes, clock: systemClock, lastHeartbeat: async () => undefined,
      logger: { error: (details, message) => void errors.push([details, message]) },
      authority: createMemoryStateAuthority({ bus, clock: systemClock }),
    });
    // block the loop once the request is on its way (the connect to 127.0.0.1 takes a tick or two).
    // Blocking in the check phase (setImmediate) means the next loop turn runs the due timers
    // before it reads the reply, as it does when a burst of CPU work ends.
    const blocker = setTimeout(() => setImmediate(() => busyFor(BLOCK_MS)), 20);
    const results = await engine.run([check]);
    clearTimeout(blocker);
    await engine.stop();
    t.diagnostic(`results: ${JSON.stringify(results.map((r) => [r.status, r.latencyMs, r.failure]))}`);
    t.diagnostic(`log: ${JSON.stringify(errors)}`);
    assert.deepEqual(results.map((r) => `${r.status} ${r.failure?.class}`), [], 'the starved run was published as a verdict on the target');
    assert.equal(events.flatMap((e) => e.results).length, 0);
    assert.equal(engine.stateOf('starved'), undefined);
    assert.equal(errors.length, 1);
    assert.match(JSON.stringify(errors[0]), /event loop was blocked/);
  });
});
