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
});
