/**
 * Config reload in cluster mode: one PostgreSQL, two `upstate serve --mode cluster` processes on
 * the same config file, a counting target on 127.0.0.1. The first instance's SIGHUP re-syncs the
 * shared schedule (a new check gets its row, a removed one loses it, so it stops cluster-wide);
 * once the second instance has reloaded too, the new check runs once per slot, as many times as
 * a kept check of the same interval. Judged by hit counts, not by time.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { startCli, type CliProcess } from '../../test/support/spawn-cli.ts';
import { waitFor } from '../../test/support/wait-for.ts';

describe('config reload in cluster mode (2 processes, one PostgreSQL)', () => {
  let pg: EmbeddedPostgres;
  let dir: string;
  let target: Server;
  let url: string;
  const hits = new Map<string, number>();
  const hitsOf = (path: string) => hits.get(path) ?? 0;
  const instances: CliProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-cluster-reload-'));
    pg = await startEmbeddedPostgres();
    target = createServer((req, res) => {
      hits.set(req.url!, hitsOf(req.url!) + 1);
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop(3000)));
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each instance reloads its own file; the schedule follows the first, runs converge once all have', async () => {
    const config = join(dir, 'upstate.yaml');
    const check = (name: string) => `  - name: ${name}\n    interval: 1s\n    timeout: 1s\n    http: { url: "${url}/${name}" }`;
    writeFileSync(config, ['checks:', check('kept'), check('gone')].join('\n'));
    for (let i = 0; i < 2; i++) {
      instances.push(startCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--mode', 'cluster', '--store', pg.url]));
    }
    const urls = await Promise.all(instances.map((instance) => instance.waitForOutput(/"url":"(http:[^"]+)"/, 120_000)));
    await waitFor('both checks to run', () => (hitsOf('/kept') >= 3 && hitsOf('/gone') >= 3 ? true : undefined), 60_000);

    writeFileSync(config, ['checks:', check('kept'), check('added')].join('\n'));
    instances[0].child.kill('SIGHUP');
    await instances[0].waitForOutput(/"msg":"config reloaded"/, 60_000);
    const goneAtReload = hitsOf('/gone');
    const keptAtFirst = hitsOf('/kept');
    await waitFor('the added check to run (claimed by the reloaded instance)', () => (hitsOf('/added') >= 1 ? true : undefined), 60_000);
    await waitFor('4 more runs of the kept check', () => (hitsOf('/kept') >= keptAtFirst + 4 ? true : undefined), 60_000);
    // its schedule row is gone, so the instance still on the old config cannot claim it either
    assert.ok(hitsOf('/gone') <= goneAtReload + 1, `the removed check ran ${hitsOf('/gone') - goneAtReload} times after the reload`);

    instances[1].child.kill('SIGHUP');
    await instances[1].waitForOutput(/"msg":"config reloaded"/, 60_000);
    const keptAtBoth = hitsOf('/kept');
    const addedAtBoth = hitsOf('/added');
    await waitFor('8 more runs of the kept check', () => (hitsOf('/kept') >= keptAtBoth + 8 ? true : undefined), 60_000);
    const kept = hitsOf('/kept') - keptAtBoth;
    const added = hitsOf('/added') - addedAtBoth;
    // same interval, one run per slot cluster-wide: equal counts, give or take the window's edges
    assert.ok(Math.abs(kept - added) <= 2, `after both reloads: kept ran ${kept} times, added ${added}`);
    assert.ok(hitsOf('/gone') <= goneAtReload + 1);

    for (const base of urls) {
      const health = (await (await fetch(`${base}/healthz`)).json()) as { config: { lastReload: string; checks: number } };
      assert.deepEqual([health.config.lastReload, health.config.checks], ['success', 2]);
    }
  });
});
