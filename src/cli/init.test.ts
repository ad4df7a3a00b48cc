/**
 * `upstate init`: writes a starter config the real loader accepts (as written, and with every
 * commented example switched on), and never replaces an existing file without --force.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.ts';
import { loadConfig, parseConfig } from '../config/load-config.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** Turns every commented-out YAML line of the starter back on (prose comments stay comments). */
function uncommentExamples(text: string): string {
  return text
    .replace(/^# (\w+:.*|  .*)$/gm, '$1')
    .replace(/^  # (\w+:.*|- .*|  .*)$/gm, '  $1');
}

const ENV = {
  UPSTATE_PROXY_SECRET: 'proxy-secret-0123456789abcdef',
  UPSTATE_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  BACKUP_PUSH_TOKEN: 'backup-token-0123456789abcdef',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  WEBHOOK_SECRET: 'webhook-secret-0123456789abcdef',
};

describe('upstate init', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'upstate-init-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a commented starter that validates and checks only this machine', async () => {
    const out = join(dir, 'upstate.yaml');
    const { io, out: lines } = capture();
    assert.equal(await main(['init', '--out', out, '--port', '8080'], io), 0);
    assert.match(lines.join('\n'), /wrote .*upstate\.yaml/);
    const config = await loadConfig(out, { env: {} });
    assert.deepEqual(
      config.checks.map((c) => [c.name, c.kind, (c.probe as { url: string }).url]),
      [['Status page', 'http', 'http://127.0.0.1:8080/healthz']],
    );
    assert.ok(readFileSync(out, 'utf8').split('\n').filter((l) => l.trimStart().startsWith('#')).length > 20, 'it is commented');
    // and the validate command agrees
    assert.equal(await main(['validate', '--config', out], capture().io), 0);
  });

  it('every commented example is valid config once uncommented', () => {
    const text = readFileSync(join(dir, 'upstate.yaml'), 'utf8');
    const full = uncommentExamples(text);
    assert.notEqual(full, text);
    const config = parseConfig(full, 'uncommented.yaml', { env: ENV });
    assert.deepEqual(
      config.checks.map((c) => c.name),
      ['Status page', 'API', 'Database', 'Certificate', 'Nightly backup'],
    );
    assert.equal(config.auth?.header, 'X-Upstate-Auth');
  });

  it('refuses to overwrite an existing file unless --force', async () => {
    const out = join(dir, 'mine.yaml');
    writeFileSync(out, 'checks: []\n');
    const refused = capture();
    assert.equal(await main(['init', '--out', out], refused.io), 2);
    assert.match(refused.err.join('\n'), /mine\.yaml already exists.*--force/);
    assert.equal(readFileSync(out, 'utf8'), 'checks: []\n');

    assert.equal(await main(['init', '--out', out, '--force'], capture().io), 0);
    assert.match(readFileSync(out, 'utf8'), /written by `upstate init`/);
  });

  it('rejects unknown options and bad ports with usage (exit 2)', async () => {
    const bad = capture();
    assert.equal(await main(['init', '--nope'], bad.io), 2);
    assert.match(bad.err.join('\n'), /Usage: upstate init/);
    assert.equal(await main(['init', '--out', join(dir, 'x.yaml'), '--port', '99999'], capture().io), 2);
  });
});
