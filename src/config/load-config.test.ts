import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from './load-config.ts';
import { ConfigError, formatIssue } from './config-error.ts';

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, '/etc/upstate/upstate.yaml', { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error.issues.map(formatIssue);
  }
  assert.fail('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('applies defaults, parses durations and substitutes environment variables', () => {
    const config = parseConfig(
      [
        'defaults:',
        '  interval: 5m',
        'checks:',
        '  - name: API',
        '    group: Backend',
        '    http:',
        '      url: https://api.example.com/health',
        '      headers: { Authorization: "Bearer ${API_TOKEN}" }',
        '  - name: DB',
        '    interval: 30s',
        '    timeout: 2500ms',
        '    degradedAfter: 1s',
        '    downAfter: "3 of 5"',
        '    upAfter: 2',
        '    tcp: { host: "${DB_HOST:-127.0.0.1}", port: 5432 }',
      ].join('\n'),
      '/srv/upstate.yaml',
      { env: { API_TOKEN: 's3cret' } },
    );
    const [api, db] = config.checks;
    assert.equal(api.intervalMs, 300_000);
    assert.equal(api.timeoutMs, 10_000);
    assert.equal(api.kind, 'http');
    assert.deepEqual((api.probe as { headers: Record<string, string> }).headers, { Authorization: 'Bearer s3cret' });
    assert.equal(api.target, 'https://api.example.com/health');
    assert.deepEqual(api.confirm, { downAfter: { count: 1, of: 1 }, upAfter: 1 });
    assert.equal(db.intervalMs, 30_000);
    assert.equal(db.timeoutMs, 2500);
    assert.equal(db.degradedAfterMs, 1000);
    assert.deepEqual(db.confirm, { downAfter: { count: 3, of: 5 }, upAfter: 2 });
    assert.equal((db.probe as { host: string }).host, '127.0.0.1');
    assert.equal(config.page.title, 'Service status');
    assert.equal(config.retention.rawMs, 48 * 3_600_000);
    assert.equal(config.source, '/srv/upstate.yaml');
  });

  it('caps the default timeout at a shorter interval', () => {
    const config = parseConfig('checks:\n  - name: fast\n    interval: 5s\n    tcp: { host: 127.0.0.1, port: 1 }\n', '/x.yaml', { env: {} });
    assert.equal(config.checks[0].timeoutMs, 5000);
  });

  it('names file, line and path for a bad URL', () => {
    const issues = issuesOf(['checks:', '  - name: a', '    http:', '      url: example.com/health'].join('\n'));
    assert.equal(issues.length, 1);
    assert.match(issues[0], /^upstate\.yaml:4 checks\[0\]\.http\.url: must be an absolute http\(s\) URL/);
  });

  it('reports every problem at once, in line order', () => {
    const issues = issuesOf(
      [
        'page:',
        '  titel: typo', // 2: unknown key
        'checks:',
        '  - name: a',
        '    interval: soon', // 5: bad duration
        '    tcp: { host: localhost, port: 80 }',
        '  - name: b', // 7: no kind
        '  - name: c',
        '    timeout: 2m', // 9: timeout above interval
        '    tcp: { host: localhost, port: 80 }',
        '  - name: c', // 11: duplicate
        '    tcp: { host: localhost, port: 99999 }', // 12: bad port
      ].join('\n'),
    );
    const text = issues.join('\n');
    assert.match(text, /upstate\.yaml:2 page\.titel: unknown key/);
    assert.match(text, /upstate\.yaml:5 checks\[0\]\.interval: must be a duration like 30s/);
    assert.match(text, /upstate\.yaml:7 checks\[1\]: needs exactly one probe kind/);
    assert.match(text, /upstate\.yaml:12 checks\[3\]\.tcp\.port/);
    // cross-field rules are checked once the fields themselves are valid
    const second = issuesOf(
      [
        'checks:',
        '  - name: c',
        '    timeout: 2m',
        '    tcp: { host: localhost, port: 80 }',
        '  - name: c',
        '    tcp: { host: localhost, port: 81 }',
      ].join('\n'),
    ).join('\n');
    assert.match(second, /upstate\.yaml:3 checks\[0\]\.timeout: must not exceed the interval \(1m\)/);
    assert.match(second, /upstate\.yaml:5 checks\[1\]\.name: duplicate check name "c" \(also checks\[0\]\)/);
  });

  it('rejects unknown keys inside a probe config', () => {
    const issues = issuesOf(['checks:', '  - name: a', '    http:', '      url: https://x.test/', '      methd: GET'].join('\n'));
    assert.match(issues.join('\n'), /upstate\.yaml:5 checks\[0\]\.http\.methd: unknown key/);
  });

  it('names the unset environment variable and where it is used', () => {
    const issues = issuesOf(['checks:', '  - name: a', '    http:', '      url: "https://x.test/?k=${MISSING_KEY}"'].join('\n'));
    assert.match(issues.join('\n'), /upstate\.yaml:4 checks\[0\]\.http\.url: environment variable MISSING_KEY is not set/);
  });

  it('reports a YAML syntax error with its line', () => {
    const issues = issuesOf('checks:\n  - name: a\n    http: { url: "https://x.test/"\n');
    assert.match(issues[0], /^upstate\.yaml:\d+: /);
  });

  it('rejects a condition that does not compile, naming the bad token', () => {
    const issues = issuesOf(
      ['checks:', '  - name: a', '    conditions:', '      - "stauts == 200"', '    http: { url: "https://x.test/" }'].join('\n'),
    );
    assert.match(issues.join('\n'), /upstate\.yaml:4 checks\[0\]\.conditions\[0\]: .*stauts/);
  });

  it('rejects a maintenance window that names an unknown check', () => {
    const issues = issuesOf(
      [
        'checks:',
        '  - name: api',
        '    tcp: { host: localhost, port: 80 }',
        'maintenance:',
        '  - name: upgrade',
        '    checks: [apii]',
        '    start: 2026-01-01T00:00:00Z',
        '    end: 2026-01-01T01:00:00Z',
      ].join('\n'),
    );
    assert.match(issues.join('\n'), /upstate\.yaml:\d+ maintenance\[0\]\.checks\[0\]: .*apii/);
  });

  it('rejects an alert rule that names an unknown channel', () => {
    const issues = issuesOf(
      [
        'checks:',
        '  - name: api',
        '    tcp: { host: localhost, port: 80 }',
        'notifiers:',
        '  ops: { kind: webhook, url: "http://127.0.0.1:9/hook" }',
        'alerts:',
        '  defaults:',
        '    down: { channels: [opz] }',
      ].join('\n'),
    );
    assert.match(issues.join('\n'), /upstate\.yaml:\d+ alerts\.defaults\.down\.channels.*opz/);
  });

  it('reports a missing file by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-config-'));
    try {
      await assert.rejects(loadConfig(join(dir, 'nope.yaml')), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(formatIssue(error.issues[0]), /nope\.yaml: file not found/);
        return true;
      });
      writeFileSync(join(dir, 'ok.yaml'), 'checks: []\n');
      assert.equal((await loadConfig(join(dir, 'ok.yaml'))).checks.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
