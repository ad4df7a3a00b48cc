/**
 * The shipped examples: both are valid configs, and the one `npm start` serves (and the container
 * image bundles) targets only this machine, so a first run sends no traffic anywhere else and
 * works with no internet. examples/public-services.yaml is validated here, never probed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './config/load-config.ts';

const ROOT = join(import.meta.dirname, '..');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The host each probe kind would contact (undefined for push checks, which contact nothing). */
function targetHost(kind: string, probe: Record<string, unknown>): string | undefined {
  switch (kind) {
    case 'http':
      return new URL(String(probe.url)).hostname;
    case 'tcp':
    case 'tls':
      return String(probe.host);
    case 'dns':
      return probe.resolver ? String(probe.resolver).replace(/:\d+$/, '') : 'system resolver';
    case 'heartbeat':
      return undefined;
    default:
      return `unknown kind ${kind}`;
  }
}

describe('examples/', () => {
  it('upstate.yaml (npm start) is valid and checks only this machine', async () => {
    const config = await loadConfig(join(ROOT, 'examples/upstate.yaml'), { env: {} });
    assert.ok(config.checks.length >= 4);
    const kinds = new Set(config.checks.map((c) => c.kind));
    for (const kind of ['http', 'tcp', 'heartbeat']) assert.ok(kinds.has(kind), `has a ${kind} check`);
    for (const check of config.checks) {
      const host = targetHost(check.kind, check.probe as Record<string, unknown>);
      if (host !== undefined) assert.ok(LOOPBACK.has(host), `${check.name} targets ${host}, not this machine`);
      assert.deepEqual(check.regions, ['local'], `${check.name} runs here, not on agents`);
    }
  });

  it('npm start serves examples/upstate.yaml on the port its checks expect', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.match(pkg.scripts.start, /serve --config examples\/upstate\.yaml/);
    assert.doesNotMatch(pkg.scripts.start, /--port/, 'the default port 3000 is what the example checks');
    assert.match(readFileSync(join(ROOT, 'examples/upstate.yaml'), 'utf8'), /127\.0\.0\.1:3000\/healthz/);
  });

  it('public-services.yaml is valid (validated only: no test probes the internet)', async () => {
    const config = await loadConfig(join(ROOT, 'examples/public-services.yaml'), { env: {} });
    assert.ok(config.checks.some((c) => !LOOPBACK.has(targetHost(c.kind, c.probe as Record<string, unknown>) ?? '')));
  });
});
