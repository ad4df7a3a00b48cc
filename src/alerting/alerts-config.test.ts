import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alertsConfigSchema, alertsConfigIssues, buildNotifiersSchema, notifiersConfigSchema } from './alerts-config.ts';
import { rulesForCheck } from './rules/resolve-rules.ts';
import { notifiers } from './notifiers/registry.ts';
import { parseConfig } from '../config/load-config.ts';
import { ConfigError } from '../config/config-error.ts';

const alerts = alertsConfigSchema.parse({
  defaults: { certificate: '14d', latency: 'p95 > 800ms over 10m' },
  groups: { payments: { latency: { when: 'p99 > 2s over 5m', for: '3 of 5', repeatEvery: '1h', channels: ['pager'] }, faults: '5% over 5m' } },
  checks: { legacy: { latency: false, down: { for: 2, sendOnResolved: false } } },
});

describe('alerts config', () => {
  it('parses short and long rule forms and resolves them per check', () => {
    const api = rulesForCheck(alerts, { name: 'api', kind: 'http' });
    assert.deepEqual(api.map((r) => r.kind).sort(), ['certificate', 'down', 'latency']);
    const pay = rulesForCheck(alerts, { name: 'pay', group: 'payments', kind: 'http' });
    const latency = pay.find((r) => r.kind === 'latency');
    assert.ok(latency && latency.kind === 'latency');
    assert.equal(latency.expression.thresholdMs, 2000);
    assert.deepEqual(latency.periods, { count: 3, of: 5 });
    assert.equal(latency.repeatEveryMs, 3_600_000);
    assert.deepEqual(latency.channels, ['pager']);
    assert.ok(pay.some((r) => r.kind === 'faults'));
    const legacy = rulesForCheck(alerts, { name: 'legacy', kind: 'http' });
    assert.equal(legacy.some((r) => r.kind === 'latency'), false, 'false switches an inherited rule off');
    const down = legacy.find((r) => r.kind === 'down')!;
    assert.deepEqual([down.periods, down.sendOnResolved], [{ count: 2, of: 2 }, false]);
    const push = rulesForCheck(alerts, { name: 'backup', kind: 'heartbeat' });
    assert.ok(push.some((r) => r.kind === 'heartbeat') && !push.some((r) => r.kind === 'down'), 'push checks alert through heartbeat');
    assert.equal(alertsConfigSchema.parse(undefined).enabled, true);
  });

  it('reports a bad expression at its path, naming the token', () => {
    const result = alertsConfigSchema.safeParse({ groups: { web: { latency: { when: 'p95 > 800 over 10m' } } }, checks: { x: { errors: '5 over 5m' } } });
    assert.equal(result.success, false);
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.ok(issues.some((i) => /^groups\.web\.latency\.when: .*found "800"/.test(i)), issues.join('\n'));
    assert.ok(issues.some((i) => /^checks\.x\.errors: .*found "5"/.test(i)), issues.join('\n'));
    assert.equal(alertsConfigSchema.safeParse({ defaults: { latncy: 'p95 > 1s over 1m' } }).success, false, 'unknown rule kinds are errors');
    assert.equal(alertsConfigSchema.safeParse({ defaults: { down: { for: '5 of 3' } } }).success, false);
  });

  it('validates each channel with its kind schema', () => {
    const channels = notifiersConfigSchema.parse({
      ops: { kind: 'slack', url: 'https://hooks.slack.com/services/x' },
      pager: { kind: 'pagerduty', routingKey: 'abc', enabled: false, timeout: '5s' },
    });
    assert.deepEqual(channels.ops, { kind: 'slack', enabled: true, timeoutMs: 10_000, concurrency: 4, config: { url: 'https://hooks.slack.com/services/x' } });
    assert.equal(channels.pager.enabled, false);
    assert.equal(channels.pager.timeoutMs, 5000);
    const bad = buildNotifiersSchema(notifiers).safeParse({ ops: { kind: 'slack', url: 'https://h', colour: 'red' }, x: { kind: 'carrier-pigeon' } });
    assert.equal(bad.success, false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.ok(paths.some((p) => p.startsWith('ops: ') && /colour/.test(p)), paths.join('\n'));
    assert.ok(paths.some((p) => p.startsWith('x.kind: must be one of webhook, slack')), paths.join('\n'));
  });

  it('finds cross-section mistakes', () => {
    const channels = notifiersConfigSchema.parse({ ops: { kind: 'webhook', url: 'https://x.test' } });
    const issues = alertsConfigIssues(alerts, channels, [{ name: 'api' }, { name: 'pay', group: 'payments' }]);
    assert.deepEqual(
      issues.map((i) => i.path.join('.')),
      ['alerts.groups.payments.latency.channels.0', 'alerts.checks.legacy'],
    );
    assert.match(issues[0].message, /unknown channel "pager"/);
    const typo = alertsConfigIssues(alertsConfigSchema.parse({ unredactedChecks: ['api', 'apii'] }), channels, [{ name: 'api' }]);
    assert.deepEqual(typo.map((i) => [i.path.join('.'), i.message]), [['alerts.unredactedChecks.1', 'no check is named "apii"']]);
  });

  it('reports alerting mistakes through the config loader with file and line', () => {
    const text = [
      'checks:',
      '  - name: api',
      '    http: { url: https://api.example.com }',
      'alerts:',
      '  groups:',
      '    web:',
      '      latency: "p95 > 800 over 10m"',
      'notifiers:',
      '  ops:',
      '    kind: slack',
      '    url: ${SLACK_URL}',
      '    colour: red',
    ].join('\n');
    assert.throws(
      () => parseConfig(text, '/tmp/upstate.yaml', { env: { SLACK_URL: 'https://hooks.slack.com/services/x' } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const lines = error.message.split('\n');
        assert.ok(lines.some((l) => l.includes('upstate.yaml:7 alerts.groups.web.latency: expected a latency with a unit') && l.includes('found "800"')), error.message);
        assert.ok(lines.some((l) => l.includes('upstate.yaml:12 notifiers.ops.colour: unknown key')), error.message);
        return true;
      },
    );
  });
});
