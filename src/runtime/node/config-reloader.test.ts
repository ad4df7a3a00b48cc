/**
 * The reloader on its own: reloads run one at a time and triggers that arrive meanwhile fold into
 * one more; a refused file leaves the running config and is reported until a reload succeeds; a
 * config the server cannot apply counts as refused. A real config file is loaded by the real
 * loader; `apply` stands in for the running server.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import type { UpstateConfig } from '../../config/types.ts';
import { createMetrics } from '../../http/metrics.ts';
import { createConfigReloader } from './config-reloader.ts';

const check = (name: string) => `  - name: ${name}\n    http: { url: "http://127.0.0.1:9/${name}" }`;

async function setup(apply: (config: UpstateConfig) => Promise<void> = async () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-reloader-'));
  const file = join(dir, 'upstate.yaml');
  writeFileSync(file, ['checks:', check('a')].join('\n'));
  const logged: { level: string; message: string; details: Record<string, unknown> }[] = [];
  const log = (level: string) => (details: object, message: string) => void logged.push({ level, message, details: details as Record<string, unknown> });
  let loads = 0;
  const metrics = createMetrics();
  const reloader = createConfigReloader({
    file: 'upstate.yaml',
    initial: await loadConfig(file),
    load: () => {
      loads += 1;
      return loadConfig(file);
    },
    apply,
    restartNeeded: (running, next) => (running.mode === next.mode ? [] : ['mode']),
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics,
    now: () => 1_800_000_000_000,
  });
  return { dir, file, logged, loads: () => loads, metrics, reloader, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('config reloader', () => {
  it('runs one reload at a time; triggers during a reload fold into one more', async () => {
    let release: (() => void) | undefined;
    let applying = 0;
    let most = 0;
    const applied: string[][] = [];
    const t = await setup(async (config) => {
      applying += 1;
      most = Math.max(most, applying);
      if (applied.length === 0) await new Promise<void>((resolve) => (release = resolve));
      applied.push(config.checks.map((c) => c.name));
      applying -= 1;
    });
    try {
      writeFileSync(t.file, ['checks:', check('a'), check('b')].join('\n'));
      const first = t.reloader.reload('SIGHUP');
      // wait until the first reload is inside apply (loading takes longer on a busy machine)
      for (let waited = 0; !release && waited < 30_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(release, 'the first reload reached apply');
      writeFileSync(t.file, ['checks:', check('a'), check('b'), check('c')].join('\n'));
      const queued = [t.reloader.reload('SIGHUP'), t.reloader.reload('file change'), t.reloader.reload('SIGHUP')];
      release();
      assert.deepEqual(await Promise.all([first, ...queued]), [true, true, true, true]);
      assert.equal(t.loads(), 2, 'three triggers during the first reload made one more');
      assert.equal(most, 1, 'never two applies at once');
      assert.deepEqual(applied.at(-1), ['a', 'b', 'c'], 'the last one read the latest file');
      assert.equal(t.reloader.health().checks, 3);
    } finally {
      t.cleanup();
    }
  });

  it('a refused file keeps the running config and is reported until a reload succeeds', async () => {
    const applied: UpstateConfig[] = [];
    const t = await setup(async (config) => void applied.push(config));
    try {
      writeFileSync(t.file, ['checks:', check('a'), '  - name: b', '    http: { url: "nope" }'].join('\n'));
      assert.equal(await t.reloader.reload('SIGHUP'), false);
      assert.equal(applied.length, 0, 'nothing applied');
      const health = t.reloader.health();
      assert.equal(health.lastReload, 'failure');
      assert.equal(health.checks, 1, 'still the running config');
      assert.match(health.errors![0], /upstate\.yaml:5 checks\[1\]\.http\.url: /);
      assert.ok(t.logged.some((l) => l.level === 'error' && /^config reload: .*upstate\.yaml:5 checks\[1\]\.http\.url/.test(l.message)));
      assert.match(await t.metrics.render(), /^upstate_config_reload_success 0$/m);

      writeFileSync(t.file, ['mode: cluster', 'checks:', check('a'), check('b')].join('\n'));
      assert.equal(await t.reloader.reload('SIGHUP'), true);
      const after = t.reloader.health();
      assert.deepEqual([after.lastReload, after.errors, after.restartNeeded, after.checks], ['success', undefined, ['mode'], 2]);
      assert.ok(t.logged.some((l) => l.level === 'warn' && /mode needs a restart/.test(l.message)));
      const text = await t.metrics.render();
      assert.match(text, /^upstate_config_reload_success 1$/m);
      assert.match(text, /^upstate_config_reloads_total\{outcome="failure"\} 1$/m);
      assert.match(text, /^upstate_config_reloads_total\{outcome="success"\} 1$/m);
      assert.match(text, /^upstate_config_last_reload_success_timestamp_seconds 1800000000$/m);
    } finally {
      t.cleanup();
    }
  });

  it('a config the server cannot apply counts as refused', async () => {
    const t = await setup(async () => {
      throw new Error('templates folder not found');
    });
    try {
      writeFileSync(t.file, ['checks:', check('a'), check('b')].join('\n'));
      assert.equal(await t.reloader.reload('SIGHUP'), false);
      assert.equal(t.reloader.health().lastReload, 'failure');
      assert.match(t.reloader.health().errors![0], /could not apply: templates folder not found/);
      assert.equal(t.reloader.health().checks, 1);
    } finally {
      t.cleanup();
    }
  });
});
