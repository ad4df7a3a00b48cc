import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probes } from './registry.ts';
import { lazyProbes, probeLoaders } from './lazy-registry.ts';
import type { ProbeContext } from './probe.ts';

describe('lazy probe registry', () => {
  it('has exactly the registry kinds, and each loader gives the registry probe run function', async () => {
    assert.deepEqual(Object.keys(lazyProbes).sort(), Object.keys(probes).sort());
    assert.deepEqual(Object.keys(probeLoaders).sort(), Object.keys(probes).sort());
    for (const [kind, load] of Object.entries(probeLoaders)) assert.equal((await load()).run, probes[kind as keyof typeof probes].run, `${kind}: a different run than the registry's`);
  });

  it('a lazy runner runs the kind module and answers as the registry probe does', async () => {
    const at = Date.UTC(2026, 0, 1, 12);
    const ctx = (ping?: { at: number; ok: boolean }): ProbeContext => ({
      check: 'backup',
      signal: new AbortController().signal,
      timeoutMs: 1000,
      now: () => at,
      lastHeartbeat: async () => (ping ? { check: 'backup', ...ping } : undefined),
    });
    const config = probes.heartbeat.schema.parse({ period: '5m', grace: '1m' });
    for (const ping of [undefined, { at: at - 60_000, ok: true }, { at: at - 60 * 60_000, ok: true }]) {
      assert.deepEqual(await lazyProbes.heartbeat.run(config, ctx(ping)), await probes.heartbeat.run(config, ctx(ping)));
    }
    assert.equal((await lazyProbes.heartbeat.run(config, ctx({ at: at - 60_000, ok: true }))).ok, true);
  });
});
