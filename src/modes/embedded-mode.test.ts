/**
 * Embedded mode end to end on a real SQLite store, a local HTTP target and a manual clock:
 * the heap scheduler runs the server's own checks (never agents-only ones), agent results go
 * through quorum, silent regions become stale by time alone, and a run that throws is logged
 * with its check and reason while every other check keeps running.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/load-config.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { probes } from '../probes/registry.ts';
import { createManualClock, type ManualClock } from '../kernel/clock.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { STALE_SWEEP_MS } from '../engine/engine.ts';
import { STALE_AFTER_INTERVALS } from '../pipeline/quorum.ts';
import { createEmbeddedMode } from './embedded-mode.ts';
import { throwingProbe } from '../../test/support/throwing-probe.ts';

interface Fixture {
  dir: string;
  store: EmbeddedStore;
  url: string;
  hits: string[];
  close(): Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-embedded-'));
  const hits: string[] = [];
  const target: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const store = createSqliteStore({ path: join(dir, 'upstate.db') });
  await store.migrate();
  return {
    dir,
    store,
    url: `http://127.0.0.1:${(target.address() as AddressInfo).port}`,
    hits,
    async close() {
      await store.close();
      await new Promise((resolve) => target.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Moves the manual clock in 1 s steps, letting real I/O (the HTTP probes) finish in between. */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) {
    await clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const logged = () => {
  const lines: { details: Record<string, unknown>; message: string }[] = [];
  return { lines, logger: { error: (details: object, message: string) => void lines.push({ details: details as Record<string, unknown>, message }) } };
};

describe('embedded mode', () => {
  it('runs its own checks soon after start, leaves agents-only checks to agents and marks silent regions stale', async () => {
    const f = await fixture();
    try {
      const file = join(f.dir, 'upstate.yaml');
      writeFileSync(
        file,
        [
          'checks:',
          `  - name: remote\n    interval: 10s\n    regions: [eu-west, us-east]\n    http: { url: "${f.url}/remote" }`,
          `  - name: here\n    interval: 10s\n    http: { url: "${f.url}/here" }`,
        ].join('\n'),
      );
      const config = await loadConfig(file);
      const clock = createManualClock(1_000_000);
      const log = logged();
      const engine = createEmbeddedMode({ config, store: f.store, bus: createResultBus(), probes, clock, logger: log.logger });
      await engine.start();
      await engine.ingest([
        { check: 'remote', at: clock.now(), status: 'down', latencyMs: 1, region: 'eu-west', failure: { class: 'refused', message: 'no' } },
      ]);
      assert.equal(engine.stateOf('remote')?.status, 'down');

      // a check that never reported runs within the start-up spread (5 s), not at its first slot
      await advance(clock, 5_000);
      assert.ok(f.hits.includes('/here'), 'the never-run check ran soon after start');
      assert.equal(engine.stateOf('here')?.status, 'up');
      // well past staleness; the scheduler keeps running `here`, never `remote`
      await advance(clock, (STALE_AFTER_INTERVALS + 1) * 10_000 + STALE_SWEEP_MS);
      await engine.stop();
      assert.ok(!f.hits.includes('/remote'), 'an agents-only check is never probed by the server');
      assert.ok(f.hits.filter((hit) => hit === '/here').length >= STALE_AFTER_INTERVALS + 1, 'the local check runs every interval');
      const stored = new Map((await f.store.readStates()).map((s) => [s.check, s]));
      assert.equal(stored.get('remote')?.status, 'unknown', 'the only region went stale');
      assert.equal(stored.get('remote')?.regions?.['eu-west'].status, 'stale');
      assert.equal(stored.get('here')?.status, 'up', 'results were written through the store writer');
      assert.deepEqual(log.lines, [], 'nothing failed');
    } finally {
      await f.close();
    }
  });

  it('runs checks of one origin over kept-alive connections, and closes them when it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-embedded-'));
    let connections = 0;
    let hits = 0;
    const target: Server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    target.on('connection', () => connections++);
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    try {
      await store.migrate();
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const file = join(dir, 'upstate.yaml');
      writeFileSync(file, ['checks:', ...[0, 1, 2, 3, 4].map((i) => `  - name: c${i}\n    interval: 10s\n    http: { url: "${url}/c${i}" }`)].join('\n'));
      const config = await loadConfig(file);
      const clock = createManualClock(1_000_000);
      const engine = createEmbeddedMode({ config, store, bus: createResultBus(), probes, clock, logger: logged().logger });
      await engine.start();
      await advance(clock, 35_000);
      await engine.stop();
      assert.ok(hits >= 15, `every check ran each interval (${hits} requests)`);
      // a connection per run before the pool: 1 per run; with it, a few for all of them
      assert.ok(connections <= 5, `${connections} connections for ${hits} runs`);
      // the close reaches the server a moment later: poll (bounded), judge by the count
      const openConnections = () => new Promise<number>((resolve, reject) => target.getConnections((error, count) => (error ? reject(error) : resolve(count))));
      let open = await openConnections();
      for (let i = 0; i < 100 && open > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        open = await openConnections();
      }
      assert.equal(open, 0, 'stopping the engine closed the kept connections');
    } finally {
      await store.close();
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs a run that throws with its check and reason, and keeps running the other checks', async () => {
    const f = await fixture();
    try {
      // a probe with a bug: it throws synchronously, before it could return a promise
      const broken = throwingProbe('broken', new TypeError('cannot read properties of undefined'));
      const registry = { ...probes, broken };
      const file = join(f.dir, 'upstate.yaml');
      writeFileSync(
        file,
        ['checks:', '  - name: buggy\n    interval: 10s\n    broken: {}', `  - name: here\n    interval: 10s\n    http: { url: "${f.url}/here" }`].join('\n'),
      );
      const config = await loadConfig(file, { probes: registry });
      const clock = createManualClock(1_000_000);
      const log = logged();
      const engine = createEmbeddedMode({ config, store: f.store, bus: createResultBus(), probes: registry, clock, logger: log.logger });
      await engine.start();
      await advance(clock, 25_000);
      await engine.stop();

      const failures = log.lines.filter((line) => line.message === 'check run failed');
      assert.ok(failures.length >= 2, `every failed run is logged (got ${failures.length})`);
      for (const { details } of failures) {
        assert.equal(details.check, 'buggy');
        assert.equal(details.reason, 'cannot read properties of undefined');
        assert.ok(details.err instanceof TypeError);
      }
      assert.equal(log.lines.length, failures.length, 'nothing else failed');
      assert.ok(f.hits.filter((hit) => hit === '/here').length >= 2, 'the other check kept running');
      assert.equal((await f.store.readRecentResults('here', { limit: 10 })).length >= 2, true);
      assert.equal((await f.store.readRecentResults('buggy', { limit: 10 })).length, 0, 'a failed run invents no result');
    } finally {
      await f.close();
    }
  });
});
