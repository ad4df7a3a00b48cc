/**
 * The engine with each state authority, on real parts: a probe registry with probes that
 * answer, fail or throw, a manual clock, and (for the store authority) a real SQLite store.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Check } from '../domain/check.ts';
import type { ProbeOutcome } from '../domain/result.ts';
import { defineProbe } from '../probes/probe.ts';
import { createManualClock } from '../kernel/clock.ts';
import { createResultBus, type ResultEvent } from '../kernel/result-bus.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { createEngine, isNotStarted, type EngineDeps } from './engine.ts';
import { createMemoryStateAuthority } from './memory-state-authority.ts';
import { createStoreStateAuthority } from './store-state-authority.ts';
import { subscribeStoreWriter } from './store-writer.ts';
import { createForwardingAuthority } from './forwarding-authority.ts';
import { createHeapScheduleSource } from './heap-schedule-source.ts';
import { throwingProbe } from '../../test/support/throwing-probe.ts';

const answer = (ok: boolean) =>
  defineProbe({
    kind: ok ? 'up' : 'down',
    schema: z.strictObject({}),
    describe: () => 'fixed',
    run: async (): Promise<ProbeOutcome> => (ok ? { ok, latencyMs: 3 } : { ok, latencyMs: 3, failure: { class: 'refused', message: 'no' } }),
  });
const probes = {
  up: answer(true),
  down: answer(false),
  throws: throwingProbe('throws', new Error('bug in probe')),
};

function check(name: string, kind: keyof typeof probes, extra: Partial<Check> = {}): Check {
  return {
    name, kind, intervalMs: 60_000, timeoutMs: 1_000, conditions: [], probe: {}, target: name, regions: ['local'], quorum: 1,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    ...extra,
  };
}

describe('engine', () => {
  it('runs, confirms and publishes; a run that throws is logged and the others still publish', async () => {
    const clock = createManualClock(1_000_000);
    const bus = createResultBus();
    const events: ResultEvent[] = [];
    bus.subscribe((event) => void events.push(event));
    const errors: [object, string][] = [];
    const checks = [check('a', 'up'), check('b', 'throws'), check('c', 'down')];
    const engine = createEngine({
      checks, concurrency: 4, probes, clock, lastHeartbeat: async () => undefined,
      logger: { error: (details, message) => void errors.push([details, message]) },
      authority: createMemoryStateAuthority({ bus, clock }),
    });
    const results = await engine.run(checks);
    await engine.stop();
    assert.deepEqual(results.map((r) => [r.check, r.status]), [['a', 'up'], ['c', 'down']]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0][1], 'check run failed');
    assert.deepEqual({ ...errors[0][0], err: undefined }, { check: 'b', reason: 'bug in probe', err: undefined });
    assert.deepEqual(events.flatMap((e) => e.results.map((r) => r.check)), ['a', 'c'], 'published once stopped (batched)');
    assert.deepEqual(events.flatMap((e) => e.states.map((s) => [s.check, s.status])), [['a', 'up'], ['c', 'down']]);
  });

  it('does not start a check that cannot finish before the deadline', async () => {
    const clock = createManualClock(1_000_000);
    const engine = createEngine({
      checks: [check('a', 'up')], concurrency: 1, probes, clock, lastHeartbeat: async () => undefined,
      logger: { error: () => assert.fail('nothing fails') },
      authority: createMemoryStateAuthority({ bus: createResultBus(), clock }),
    });
    const [result] = await engine.run([check('a', 'up')], { deadline: clock.now() + 500 });
    await engine.stop();
    assert.ok(isNotStarted(result));
    assert.equal(result.failure?.class, 'timeout');
  });

  it('arms the stale-region sweep only for an authority that sweeps (an agent has no timer)', async () => {
    const multi = check('multi', 'up', { regions: ['local', 'eu'], quorum: 1 });
    const forwarding = createManualClock(1_000_000);
    const agent = createEngine({
      checks: [multi], concurrency: 1, probes, clock: forwarding, lastHeartbeat: async () => undefined, region: 'eu',
      logger: { error: () => assert.fail('nothing fails') },
      authority: createForwardingAuthority(() => {}),
    });
    await agent.start();
    assert.equal(forwarding.pending(), 0, 'the forwarding authority confirms nothing, so nothing wakes the agent');
    await agent.stop();

    const memory = createManualClock(1_000_000);
    const server = createEngine({
      checks: [multi], concurrency: 1, probes, clock: memory, lastHeartbeat: async () => undefined,
      logger: { error: () => assert.fail('nothing fails') },
      authority: createMemoryStateAuthority({ bus: createResultBus(), clock: memory }),
    });
    await server.start();
    assert.equal(memory.pending(), 1, 'a server sweeps its multi-region checks');
    await server.stop();
    assert.equal(memory.pending(), 0);
  });

  it('with the store as authority, confirms on top of what another process stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-engine-'));
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    try {
      await store.migrate();
      const clock = createManualClock(1_000_000);
      const flaky = check('flaky', 'down', { confirm: { downAfter: { count: 2, of: 2 }, upAfter: 1 } });
      // two "instances", each with its own bus and writer, sharing one store
      const instance = () => {
        const bus = createResultBus();
        subscribeStoreWriter(bus, store);
        const deps: EngineDeps = {
          checks: [flaky], concurrency: 1, probes, clock, lastHeartbeat: async () => undefined,
          logger: { error: () => assert.fail('nothing fails') },
          authority: createStoreStateAuthority({ bus, store, now: () => clock.now() }),
        };
        return createEngine(deps);
      };
      const first = instance();
      const second = instance();
      await first.run([flaky]);
      assert.equal((await store.readStates())[0].status, 'unknown', 'one failure of two is not yet down');
      await clock.advance(60_000);
      await second.run([flaky]);
      assert.equal((await store.readStates())[0].status, 'down', 'the second instance saw the first failure in the store');
      await first.stop();
      await second.stop();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reloads: kept checks keep running, removed ones stop, new ones start, a changed interval applies', async () => {
    const clock = createManualClock(1_000_000);
    const bus = createResultBus();
    const ran: string[] = [];
    bus.subscribe((event) => void ran.push(...event.results.map((r) => r.check)));
    const authority = createMemoryStateAuthority({ bus, clock });
    const heap = (checks: Check[]) => createHeapScheduleSource({ checks, clock, concurrency: 8 });
    const first = [check('kept', 'up', { intervalMs: 10_000 }), check('removed', 'up', { intervalMs: 10_000 }), check('slower', 'up', { intervalMs: 10_000 })];
    const engine = createEngine({
      checks: first, concurrency: 8, probes, clock, lastHeartbeat: async () => undefined,
      logger: { error: (details, message) => assert.fail(`${message} ${JSON.stringify(details)}`) },
      authority, schedule: heap(first),
    });
    await engine.start();
    await clock.advance(30_000);
    await authority.flush();
    const count = (name: string) => ran.filter((n) => n === name).length;
    assert.deepEqual([count('kept'), count('removed'), count('slower')], [3, 3, 3], 'three 10 s slots in 30 s');

    const second = [check('kept', 'up', { intervalMs: 10_000 }), check('slower', 'up', { intervalMs: 30_000 }), check('added', 'down', { intervalMs: 10_000 })];
    await engine.reload({ checks: second, concurrency: 8, schedule: heap(second) });
    ran.length = 0;
    await clock.advance(60_000);
    await authority.flush();
    assert.equal(count('kept'), 6, 'the kept check runs on, once per 10 s');
    assert.equal(count('removed'), 0, 'the removed check no longer runs');
    assert.equal(count('slower'), 2, 'the changed check follows its new 30 s interval');
    assert.equal(count('added'), 6, 'the new check runs');
    assert.equal(engine.stateOf('added')?.status, 'down');
    await engine.stop();
    assert.equal(clock.pending(), 0, 'no timer of the old or new schedule is left');
  });

  it('a check in flight across a reload finishes, is published once, and is not started twice', async () => {
    const clock = createManualClock(1_000_000);
    const bus = createResultBus();
    const published: string[] = [];
    bus.subscribe((event) => void published.push(...event.results.map((r) => r.check)));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const slow = defineProbe({
      kind: 'slow',
      schema: z.strictObject({}),
      describe: () => 'waits',
      run: async (): Promise<ProbeOutcome> => {
        started += 1;
        await gate;
        return { ok: true, latencyMs: 1 };
      },
    });
    const kinds = { ...probes, slow };
    const authority = createMemoryStateAuthority({ bus, clock });
    const slowCheck = check('slow', 'up', { kind: 'slow', intervalMs: 1_000, timeoutMs: 60_000 });
    const heap = (checks: Check[]) => createHeapScheduleSource({ checks, clock, concurrency: 8 });
    const engine = createEngine({
      checks: [slowCheck], concurrency: 8, probes: kinds, clock, lastHeartbeat: async () => undefined,
      logger: { error: (details, message) => assert.fail(`${message} ${JSON.stringify(details)}`) },
      authority, schedule: heap([slowCheck]),
    });
    await engine.start();
    await clock.advance(1_000);
    assert.equal(started, 1, 'the first run is in flight');
    await engine.reload({ checks: [slowCheck], concurrency: 8, schedule: heap([slowCheck]) });
    await clock.advance(3_000);
    assert.equal(started, 1, 'the new schedule skips the slots while the old run is still going');
    release();
    await clock.advance(2_000);
    await authority.flush();
    assert.ok(started >= 2, `runs again once the old run is done (${started} started)`);
    assert.equal(published.filter((n) => n === 'slow').length, started, 'every run that started was published');
    await engine.stop();
  });

  it('a reload whose condition does not compile throws and changes nothing', async () => {
    const clock = createManualClock(1_000_000);
    const engine = createEngine({
      checks: [check('a', 'up')], concurrency: 1, probes, clock, lastHeartbeat: async () => undefined,
      logger: { error: () => assert.fail('nothing fails') },
      authority: createMemoryStateAuthority({ bus: createResultBus(), clock }),
    });
    await engine.start();
    await assert.rejects(engine.reload({ checks: [check('b', 'up', { conditions: ['status =='] })], concurrency: 1 }), /does not compile/);
    await engine.ingest([{ check: 'a', at: clock.now(), status: 'up', latencyMs: 1 }]);
    assert.equal(engine.stateOf('a')?.status, 'up', 'still knows the old checks');
    await engine.stop();
  });
});
