/**
 * End to end, as a user runs it: the real CLI in its own process, a real SQLite file, local
 * targets on 127.0.0.1, the page and JSON read over HTTP, SIGTERM for a clean stop, then the data
 * read back from the file.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { StatusModel } from '../../status/status-model.ts';
import { waitFor } from '../../../test/support/wait-for.ts';

const BIN = join(import.meta.dirname, '../../cli/bin.ts');

function startCli(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, UPSTATE_LOG_LEVEL: 'info' },
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}


describe('upstate serve (process)', () => {
  let dir: string;
  let target: Server;
  let targetUrl: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-e2e-'));
    target = createServer((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : 503;
      res.end(req.url === '/ok' ? 'fine' : 'unavailable');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks, serves the truth, stops cleanly on SIGTERM and keeps the results', async () => {
    const config = join(dir, 'upstate.yaml');
    writeFileSync(
      config,
      [
        'page: { title: E2E status }',
        'checks:',
        `  - name: Healthy API\n    group: Backend\n    interval: 2s\n    http: { url: "${targetUrl}/ok" }`,
        `  - name: Broken API\n    group: Backend\n    interval: 2s\n    http: { url: "${targetUrl}/down" }`,
      ].join('\n'),
    );
    const data = join(dir, 'data');
    const cli = startCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', data]);
    try {
      const base = await waitFor('the server to listen', async () => /"url":"(http:[^"]+)"/.exec(cli.output())?.[1]);
      const model = await waitFor('results for both checks', async () => {
        const body = (await (await fetch(`${base}/api/v1/status`)).json()) as StatusModel;
        return body.components.every((c) => c.status !== 'unknown') ? body : undefined;
      });
      const byName = new Map(model.components.map((c) => [c.name, c]));
      assert.equal(byName.get('Healthy API')?.status, 'up');
      assert.equal(byName.get('Broken API')?.status, 'down');
      assert.equal(byName.get('Broken API')?.lastFailure?.class, 'status');

      const page = await fetch(`${base}/`);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      const html = await page.text();
      assert.match(html, /E2E status/);
      assert.match(html, /Healthy API/);
      assert.match(html, /Broken API/);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 200, 'ready: the SQLite store answers');

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.output());
      assert.match(cli.output(), /stopped/);
    } finally {
      cli.child.kill('SIGKILL');
    }

    const store = createSqliteStore({ path: join(data, 'upstate.db') });
    try {
      const results = await store.readRecentResults('Broken API', { limit: 10 });
      assert.ok(results.length >= 1);
      assert.equal(results[0].statusCode, 503);
      const states = await store.readStates();
      assert.equal(states.find((s) => s.check === 'Healthy API')?.status, 'up');
    } finally {
      await store.close();
    }
  });

  it('exits 2 on a bad config without creating or touching the store', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'checks:\n  - name: x\n    http: { url: "not a url" }\n');
    const data = join(dir, 'untouched');
    const cli = startCli(['serve', '--config', config, '--port', '0', '--data', data]);
    assert.equal(await cli.exited, 2);
    assert.match(cli.output(), /bad\.yaml:3 checks\[0\]\.http\.url/);
    assert.equal(existsSync(data), false);

    // and an existing store is left exactly as it was
    const good = join(dir, 'data', 'upstate.db');
    const before = statSync(good).mtimeMs;
    const again = startCli(['serve', '--config', config, '--port', '0', '--data', join(dir, 'data')]);
    assert.equal(await again.exited, 2);
    assert.equal(statSync(good).mtimeMs, before);
  });
});
