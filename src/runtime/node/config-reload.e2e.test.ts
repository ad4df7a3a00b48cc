/**
 * Config hot reload on a real `upstate serve` process: the CLI in its own process, a SQLite file,
 * a local HTTP target on 127.0.0.1 that counts the requests of each check, a live `/events`
 * client, SIGHUP and `--watch`. Judged by counts and events (target hits, results per check,
 * log lines), never by how long something took.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { componentId } from '../../status/component-id.ts';
import type { StatusModel } from '../../status/status-model.ts';
import { waitFor } from '../../../test/support/wait-for.ts';

const BIN = join(import.meta.dirname, '../../cli/bin.ts');

interface Cli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Log lines (pino JSON) whose `msg` matches. */
  lines(msg: RegExp): Record<string, unknown>[];
  base: string;
}

async function startCli(args: string[]): Promise<Cli> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, UPSTATE_LOG_LEVEL: 'info' } });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = (msg: RegExp) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => msg.test(String(line.msg)));
  const died = exited.then((code) => Promise.reject(new Error(`upstate serve exited with ${code} before listening:\n${text}`)));
  const listening = waitFor('the server to listen', () => lines(/^Upstate is serving$/)[0]?.url as string | undefined, 120_000);
  const base = await Promise.race([listening, died]);
  return { child, output: () => text, exited, lines, base };
}

/** A live `/events` client: counts result events per component id; `open` while the stream lasts. */
function openEvents(base: string) {
  const seen: { ids: string[] }[] = [];
  const state = { open: false, ended: false, seen };
  let buffer = '';
  let response: IncomingMessage | undefined;
  const request = get(`${base}/events`, (res) => {
    response = res;
    state.open = res.statusCode === 200;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: results$/m.test(block)) {
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]) as { checks: { id: string }[] };
          seen.push({ ids: data.checks.map((c) => c.id) });
        }
        end = buffer.indexOf('\n\n');
      }
    });
    res.on('end', () => (state.ended = true));
    res.on('close', () => (state.ended = true));
  });
  request.on('error', () => (state.ended = true));
  return { state, close: () => (response?.destroy(), request.destroy()) };
}

function checkYaml(name: string, path: string, target: string, interval = '1s'): string {
  return `  - name: ${name}\n    interval: ${interval}\n    timeout: 1s\n    http: { url: "${target}${path}" }`;
}

describe('config hot reload (upstate serve process)', () => {
  let dir: string;
  let target: Server;
  let url: string;
  const hits = new Map<string, number>();
  const hitsOf = (path: string) => hits.get(path) ?? 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-reload-'));
    target = createServer((req, res) => {
      hits.set(req.url!, hitsOf(req.url!) + 1);
      res.end('fine');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  after(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGHUP with a valid change: a check added, one removed, one slower; live stream and history kept', async () => {
    const config = join(dir, 'valid.yaml');
    writeFileSync(
      config,
      ['page: { title: Before reload }', 'checks:', checkYaml('Kept', '/kept', url), checkYaml('Removed', '/removed', url), checkYaml('Slower', '/slower', url)].join('\n'),
    );
    const data = join(dir, 'valid-data');
    const cli = await startCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', data]);
    const events = openEvents(cli.base);
    let keptBefore = 0;
    let reloadedAt = 0;
    try {
      await waitFor('three runs of each check', () => (['/kept', '/removed', '/slower'].every((p) => hitsOf(p) >= 3) ? true : undefined), 60_000);
      await waitFor('the live stream to carry results', () => (events.state.seen.length > 0 ? true : undefined), 60_000);
      keptBefore = hitsOf('/kept');

      writeFileSync(
        config,
        ['page: { title: After reload }', 'checks:', checkYaml('Kept', '/kept', url), checkYaml('Slower', '/slower', url, '4s'), checkYaml('Added', '/added', url)].join('\n'),
      );
      reloadedAt = Date.now();
      cli.child.kill('SIGHUP');
      const [reloaded] = await waitFor('the reload', () => cli.lines(/^config reloaded$/)[0] && cli.lines(/^config reloaded$/), 60_000);
      assert.deepEqual([reloaded.trigger, reloaded.added, reloaded.removed], ['SIGHUP', ['Added'], ['Removed']]);
      const removedAtReload = hitsOf('/removed');
      const slowerAtReload = hitsOf('/slower');
      const keptAtReload = hitsOf('/kept');
      const eventsAtReload = events.state.seen.length;

      await waitFor('8 more runs of the kept check and 3 of the added one', () => (hitsOf('/kept') >= keptAtReload + 8 && hitsOf('/added') >= 3 ? true : undefined), 60_000);
      const keptSince = hitsOf('/kept') - keptAtReload;
      const slowerSince = hitsOf('/slower') - slowerAtReload;
      // a run started just before the swap may still land; nothing starts after it
      assert.ok(hitsOf('/removed') <= removedAtReload + 1, `removed check ran ${hitsOf('/removed') - removedAtReload} times after the reload`);
      // 1 s vs 4 s: the kept check runs about four times as often; 3 of slack for phases and a skipped slot
      assert.ok(slowerSince <= Math.ceil(keptSince / 4) + 3, `slower: ${slowerSince} runs while kept ran ${keptSince}`);
      assert.ok(slowerSince >= 1, 'the slower check still runs');

      assert.equal(events.state.ended, false, 'the live stream opened before the reload is still open');
      const after = events.state.seen.slice(eventsAtReload);
      assert.ok(after.some((event) => event.ids.includes(componentId('Kept'))), 'and still receives results');

      const model = (await (await fetch(`${cli.base}/api/v1/status`)).json()) as StatusModel;
      assert.deepEqual(model.components.map((c) => c.name).sort(), ['Added', 'Kept', 'Slower']);
      assert.match(await (await fetch(`${cli.base}/`)).text(), /After reload/);
      const health = await fetch(`${cli.base}/healthz`);
      assert.equal(health.status, 200);
      const body = (await health.json()) as { status: string; config: { lastReload: string; checks: number } };
      assert.deepEqual([body.status, body.config.lastReload, body.config.checks], ['ok', 'success', 3]);
      const metrics = await (await fetch(`${cli.base}/metrics`)).text();
      assert.match(metrics, /^upstate_config_reload_success 1$/m);
      assert.match(metrics, /^upstate_config_reloads_total\{outcome="success"\} 1$/m);

      events.close();
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.output());
    } finally {
      events.close();
      cli.child.kill('SIGKILL');
    }
    const store = createSqliteStore({ path: join(data, 'upstate.db') });
    try {
      const kept = await store.readRecentResults('Kept', { limit: 10_000 });
      assert.ok(kept.filter((r) => r.at < reloadedAt).length >= keptBefore, 'the kept check keeps its history from before the reload');
      const removed = await store.readRecentResults('Removed', { limit: 10_000 });
      assert.ok(removed.length >= 3, 'the removed check keeps its history in the store');
    } finally {
      await store.close();
    }
  });

  it('SIGHUP with an invalid config: errors with file:line, /healthz and /metrics say so, the old checks run on', async () => {
    const config = join(dir, 'broken.yaml');
    const good = ['checks:', checkYaml('Steady', '/steady', url)].join('\n');
    writeFileSync(config, good);
    const cli = await startCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'broken-data')]);
    try {
      await waitFor('the check to run', () => (hitsOf('/steady') >= 2 ? true : undefined), 60_000);
      writeFileSync(
        config,
        ['checks:', checkYaml('Steady', '/steady', url), '  - name: Bad URL', '    http: { url: "not a url" }', '  - name: Bad interval', '    interval: soon', '    http: { url: "http://127.0.0.1:1/" }'].join('\n'),
      );
      cli.child.kill('SIGHUP');
      await waitFor('the refused reload', () => cli.lines(/^config reload failed/)[0], 60_000);
      const errors = cli.lines(/^config reload: /).map((line) => String(line.error));
      assert.ok(errors.some((line) => /^broken\.yaml:7 checks\[1\]\.http\.url: /.test(line)), errors.join('\n'));
      assert.ok(errors.some((line) => /^broken\.yaml:9 checks\[2\]\.interval: /.test(line)), errors.join('\n'));

      const health = await fetch(`${cli.base}/healthz`);
      assert.equal(health.status, 200, 'the process is healthy: it still runs the previous config');
      const body = (await health.json()) as { config: { lastReload: string; errors: string[]; trigger: string } };
      assert.equal(body.config.lastReload, 'failure');
      assert.equal(body.config.trigger, 'SIGHUP');
      assert.equal(body.config.errors.length, 2);
      const metrics = await (await fetch(`${cli.base}/metrics`)).text();
      assert.match(metrics, /^upstate_config_reload_success 0$/m);
      assert.match(metrics, /^upstate_config_reloads_total\{outcome="failure"\} 1$/m);
      assert.match(metrics, /^upstate_config_last_reload_timestamp_seconds [1-9]/m);

      const steady = hitsOf('/steady');
      await waitFor('the old check to keep running', () => (hitsOf('/steady') >= steady + 3 ? true : undefined), 60_000);
      const model = (await (await fetch(`${cli.base}/api/v1/status`)).json()) as StatusModel;
      assert.deepEqual(model.components.map((c) => c.name), ['Steady']);

      // fixed: the next reload applies and the failure clears
      writeFileSync(config, good);
      cli.child.kill('SIGHUP');
      await waitFor('the good reload', () => cli.lines(/^config reloaded$/)[0], 60_000);
      assert.match(await (await fetch(`${cli.base}/metrics`)).text(), /^upstate_config_reload_success 1$/m);
      assert.equal(((await (await fetch(`${cli.base}/healthz`)).json()) as { config: { lastReload: string } }).config.lastReload, 'success');

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.output());
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('--watch: a file replaced by rename reloads once per burst of writes; `mode:` needs a restart, the rest applies', async () => {
    const config = join(dir, 'watched.yaml');
    writeFileSync(config, ['checks:', checkYaml('Watched', '/watched', url)].join('\n'));
    const cli = await startCli(['serve', '--config', config, '--watch', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'watch-data')]);
    try {
      await waitFor('the first check to run', () => (hitsOf('/watched') >= 1 ? true : undefined), 60_000);
      // an editor's save: a new file renamed over the old one
      const temp = join(dir, '.watched.yaml.swp');
      writeFileSync(temp, ['checks:', checkYaml('Watched', '/watched', url), checkYaml('Renamed in', '/renamed', url)].join('\n'));
      renameSync(temp, config);
      await waitFor('the reload after the rename', () => cli.lines(/^config reloaded$/)[0], 60_000);
      await waitFor('the new check to run', () => (hitsOf('/renamed') >= 2 ? true : undefined), 60_000);
      assert.equal(cli.lines(/^config reloaded$/)[0].trigger, 'file change');

      // a burst of writes in place ends in one reload of the last content
      for (const n of [1, 2, 3]) {
        writeFileSync(config, ['mode: cluster', 'checks:', checkYaml('Watched', '/watched', url), checkYaml(`Burst ${n}`, `/burst${n}`, url)].join('\n'));
      }
      await waitFor('the second reload', () => cli.lines(/^config reloaded$/)[1], 60_000);
      await waitFor('the last burst check to run', () => (hitsOf('/burst3') >= 2 ? true : undefined), 60_000);
      assert.equal(cli.lines(/^config reloaded$/).length, 2, 'one reload for the three writes');
      assert.equal(hitsOf('/burst1') + hitsOf('/burst2'), 0);
      const restart = cli.lines(/needs a restart/);
      assert.equal(restart.length, 1);
      assert.match(String(restart[0].setting), /^mode \(embedded → cluster/);
      const health = (await (await fetch(`${cli.base}/healthz`)).json()) as { config: { lastReload: string; restartNeeded: string[] } };
      assert.equal(health.config.lastReload, 'success');
      assert.equal(health.config.restartNeeded.length, 1);

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.output());
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});
