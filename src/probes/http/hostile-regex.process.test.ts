/**
 * A target whose body and headers are the worst case for a backtracking regex (`^(a+)+$` against
 * 27 a's and a '!': ~2^27 steps) must neither stall the server nor hold a check past its timeout.
 * The real CLI runs in its own process, so a stall shows up as a late `/healthz` here and the test
 * itself cannot hang (the child is killed at the end).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startCli } from '../../../test/support/spawn-cli.ts';
import { waitFor } from '../../../test/support/wait-for.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';

const HOSTILE = `${'a'.repeat(27)}!`;
const PATTERN = '^(a+)+$';
const TIMEOUT_MS = 2000;
/** How long /healthz may take here. A backtracking match of HOSTILE takes 5–25 s on this kind of host. */
const HEALTHZ_BOUND_MS = 5000;

describe('hostile regex input (process)', () => {
  let dir: string;
  let target: Server;
  let targetUrl: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-regex-'));
    // /big: 512 KiB, with the '!' inside the 64 KiB the probe keeps for matching
    target = createServer((req, res) => {
      res.setHeader('x-token', HOSTILE);
      res.end(req.url === '/big' ? `${'a'.repeat(60_000)}!${'a'.repeat(512 * 1024)}` : HOSTILE);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  after(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('bodyMatches, headersMatch and `matches` answer within the timeout while /healthz stays responsive', async (t) => {
    const config = join(dir, 'upstate.yaml');
    const check = (name: string, http: string, extra = '') => `  - name: ${name}\n    interval: 3s\n    timeout: 2s\n    http: ${http}\n${extra}`;
    writeFileSync(
      config,
      [
        'checks:',
        check('Body', `{ url: "${targetUrl}/", bodyMatches: "${PATTERN}" }`),
        check('Header', `{ url: "${targetUrl}/", headersMatch: { x-token: { regex: "${PATTERN}" } } }`),
        check('Condition', `{ url: "${targetUrl}/" }`, `    conditions: [ 'body matches "${PATTERN}"' ]\n`),
        check('Big body', `{ url: "${targetUrl}/big", bodyMatches: "${PATTERN}" }`),
      ].join('\n'),
    );
    const data = join(dir, 'data');
    const cli = startCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', data]);
    const names = ['Body', 'Header', 'Condition', 'Big body'];
    try {
      const base = await waitFor('the server to listen', async () => /"url":"(http:[^"]+)"/.exec(cli.output())?.[1]);
      // every check runs within 5 s of start (never reported), then every 3 s: watch two rounds
      let slowest = 0;
      const until = Date.now() + 9000;
      while (Date.now() < until) {
        const started = performance.now();
        const reply = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(30_000) }).catch((error: Error) => error);
        slowest = Math.max(slowest, performance.now() - started);
        assert.ok(!(reply instanceof Error), `/healthz failed after ${Math.round(performance.now() - started)} ms: ${String(reply)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      t.diagnostic(`slowest /healthz: ${Math.round(slowest)} ms`);
      assert.ok(slowest < HEALTHZ_BOUND_MS, `/healthz took ${Math.round(slowest)} ms while hostile checks ran`);
      await waitFor('a result for every check', async () => {
        const body = (await (await fetch(`${base}/api/v1/status`)).json()) as { components: { status: string }[] };
        return body.components.every((c) => c.status !== 'unknown') ? true : undefined;
      }, 30_000);
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.output());
    } finally {
      cli.child.kill('SIGKILL');
    }

    const store = createSqliteStore({ path: join(data, 'upstate.db') });
    try {
      for (const name of names) {
        const results = await store.readRecentResults(name, { limit: 10 });
        assert.ok(results.length >= 1, `${name}: no result`);
        t.diagnostic(`${name}: ${results.map((r) => r.latencyMs).join(', ')} ms`);
        for (const result of results) {
          // the probe's own measure: the hard deadline is timeout + 250 ms
          assert.ok(result.latencyMs <= TIMEOUT_MS + 250, `${name}: ${result.latencyMs} ms under a ${TIMEOUT_MS} ms timeout`);
          assert.equal(result.status, 'down', name);
          assert.equal(result.failure?.class, 'body', `${name}: ${result.failure?.message}`);
        }
      }
    } finally {
      await store.close();
    }
  });
});
