/**
 * The embedded monitor with multi-region checks: agents-only checks are never probed here,
 * agent results go through quorum, and regions that fall silent become stale by time alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/load-config.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { probes } from '../probes/registry.ts';
import { createManualClock } from '../kernel/clock.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { createMonitor, STALE_SWEEP_MS } from './monitor.ts';
import { STALE_AFTER_INTERVALS } from './quorum.ts';

describe('embedded monitor with regions', () => {
  it('leaves agents-only checks to agents and marks silent regions stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-monitor-'));
    const hits: string[] = [];
    const target = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    try {
      const file = join(dir, 'upstate.yaml');
      writeFileSync(
        file,
        [
          'checks:',
          `  - name: remote\n    interval: 10s\n    regions: [eu-west, us-east]\n    http: { url: "${url}/remote" }`,
          `  - name: here\n    interval: 10s\n    http: { url: "${url}/here" }`,
        ].join('\n'),
      );
      const config = await loadConfig(file);
      await store.migrate();
      const clock = createManualClock(1_000_000);
      const monitor = createMonitor({ config, store, bus: createResultBus(), probes, clock });
      await monitor.start();
      await monitor.ingest([
        { check: 'remote', at: clock.now(), status: 'down', latencyMs: 1, region: 'eu-west', failure: { class: 'refused', message: 'no' } },
      ]);
      assert.equal(monitor.stateOf('remote')?.status, 'down');

      const runs = await monitor.runAll();
      assert.deepEqual(runs.map((r) => r.check), ['here'], 'runAll runs local checks only');
      // well past staleness; the scheduler runs `here` meanwhile, never `remote`
      for (let t = 0; t < (STALE_AFTER_INTERVALS + 1) * 10_000 + STALE_SWEEP_MS; t += 1000) {
        await clock.advance(1000);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await monitor.stop();
      assert.ok(!hits.includes('/remote'), 'an agents-only check is never probed by the server');
      assert.ok(hits.includes('/here'));
      const stored = (await store.readStates()).find((s) => s.check === 'remote');
      assert.equal(stored?.status, 'unknown', 'the only region went stale');
      assert.equal(stored?.regions?.['eu-west'].status, 'stale');
    } finally {
      await store.close();
      await new Promise((resolve) => target.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
