/**
 * Config files a careless operator or an attacker could hand Upstate: each must end in a
 * `ConfigError` naming the file and line (so `upstate validate` exits 2), never in a stack trace,
 * a silent change of meaning, or unbounded memory.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, MAX_CONFIG_BYTES } from './load-config.ts';
import { ConfigError } from './config-error.ts';
import { main } from '../cli/main.ts';

const CHECK = '  - name: api\n    http: { url: "http://127.0.0.1:9/" }\n';

describe('hostile config files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upstate-hostile-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fileWith(name: string, content: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  /** Loads `path`, expecting a ConfigError; returns its issues. */
  async function issuesOf(path: string) {
    const error = await loadConfig(path).then(
      () => assert.fail('expected a ConfigError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${(error as Error).stack}`);
    return error.issues;
  }

  /** `upstate validate` on the file: exit code and what it printed. */
  async function validate(path: string) {
    const out: string[] = [];
    const code = await main(['validate', '--config', path], { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, text: out.join('\n') };
  }

  it('refuses an alias bomb with the line, and validate exits 2 without a stack trace', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const path = await fileWith('bomb.yaml', `${levels.join('\n')}\nchecks:\n${CHECK}`);
    const issues = await issuesOf(path);
    assert.match(issues[0].message, /alias/i);
    assert.ok(issues[0].line && issues[0].line >= 1);
    const { code, text } = await validate(path);
    assert.equal(code, 2);
    assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
  });

  it('refuses an undefined alias with its line', async () => {
    const path = await fileWith('undefined-alias.yaml', `defaults: *nope\nchecks:\n${CHECK}`);
    const issues = await issuesOf(path);
    assert.equal(issues[0].line, 1);
    assert.match(issues[0].message, /nope|alias/i);
    assert.equal((await validate(path)).code, 2);
  });

  it('refuses 2,000-deep nesting with a line, not a stack overflow', async () => {
    const path = await fileWith('deep.yaml', `checks:\n${CHECK}page:\n  title: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
    const issues = await issuesOf(path);
    assert.ok(issues[0].line, 'names a line');
    assert.match(issues[0].message, /deep|nest/i);
    const { code, text } = await validate(path);
    assert.equal(code, 2);
    assert.doesNotMatch(text, /\n\s+at /);
  });

  it('loads a valid config that uses one anchor more than 100 times', async () => {
    const checks = Array.from({ length: 150 }, (_, i) => `  - name: c${i}\n    <<: *base\n    http: { url: "http://127.0.0.1:9/${i}" }`).join('\n');
    const path = await fileWith('anchors.yaml', `x-base: &base\n  interval: 30s\n  timeout: 5s\nchecks:\n${checks}\n`);
    const config = await loadConfig(path);
    assert.equal(config.checks.length, 150);
    assert.ok(config.checks.every((check) => check.intervalMs === 30_000 && check.timeoutMs === 5_000));
  });

  it('loads a valid config that uses one anchor 20,000 times (large installations share one block)', async () => {
    const uses = Array.from({ length: 20_000 }, () => '*base').join(', ');
    const path = await fileWith('many-anchors.yaml', `x-base: &base { interval: 30s, timeout: 5s }\nx-uses: [${uses}]\nchecks:\n  - name: api\n    <<: *base\n    http: { url: "http://127.0.0.1:9/" }\n`);
    const config = await loadConfig(path);
    assert.equal(config.checks[0].intervalMs, 30_000);
  });

  it('refuses invalid UTF-8 with the line of the bad byte instead of replacing it', async () => {
    const bytes = Buffer.concat([Buffer.from(`checks:\n  - name: api\n    http: { url: "http://127.0.0.1:9/" }\n  - name: "bad `), Buffer.from([0xc3, 0x28]), Buffer.from(`"\n    http: { url: "http://127.0.0.1:9/b" }\n`)]);
    const path = await fileWith('utf8.yaml', bytes);
    const issues = await issuesOf(path);
    assert.equal(issues[0].line, 4);
    assert.match(issues[0].message, /UTF-8/);
  });

  it('refuses a file over the size limit before parsing it, naming the limit', async () => {
    const path = await fileWith('huge.yaml', `checks:\n${CHECK}page:\n  description: "${'x'.repeat(MAX_CONFIG_BYTES)}"\n`);
    const issues = await issuesOf(path);
    assert.match(issues[0].message, /MiB/);
  });

  it('refuses a single value longer than a line allows, with its line', async () => {
    const path = await fileWith('long-line.yaml', `checks:\n${CHECK}page:\n  description: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const issues = await issuesOf(path);
    assert.equal(issues[0].line, 5);
    assert.match(issues[0].message, /long/);
  });
});
