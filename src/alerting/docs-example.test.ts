import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { alertsConfigSchema, alertsConfigIssues, notifiersConfigSchema } from './alerts-config.ts';
import { parseConfig } from '../config/load-config.ts';

describe('docs/alerting.md', () => {
  it('its complete example is a valid config', () => {
    const markdown = readFileSync(new URL('../../docs/alerting.md', import.meta.url), 'utf8');
    const yamlBlock = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];
    assert.ok(yamlBlock, 'the doc has a yaml example');
    const env: Record<string, string> = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', TEAMS_WEBHOOK_URL: 'https://teams.example.com/x', DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x' };
    const text = yamlBlock.replace(/\$\{(\w+)\}/g, (_, name: string) => env[name] ?? 'secret-value');
    const document = parse(text);
    const alerts = alertsConfigSchema.parse(document.alerts);
    const channels = notifiersConfigSchema.parse(document.notifiers);
    assert.equal(Object.keys(channels).length, 7);
    assert.deepEqual(alertsConfigIssues(alerts, channels, [{ name: 'api' }, { name: 'legacy-admin' }, { name: 'pay', group: 'payments' }]), []);
  });

  it('its on-call example loads as a whole config', () => {
    const markdown = readFileSync(new URL('../../docs/alerting.md', import.meta.url), 'utf8');
    const yamlBlock = /```yaml\n(# on-call example\n[\s\S]*?)```/.exec(markdown)?.[1];
    assert.ok(yamlBlock, 'the doc has the on-call example');
    const env = { API_KEY: 'k', PAGERDUTY_ROUTING_KEY: 'r'.repeat(32), SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', WEBHOOK_SECRET: 's' };
    const config = parseConfig(yamlBlock, '/tmp/on-call.yaml', { env });
    assert.deepEqual(config.checks.map((c) => [c.name, c.dependsOn]), [['db', undefined], ['api', ['db']], ['web', ['core']]]);
    assert.deepEqual(Object.keys(config.notifiers), ['pager', 'chat', 'audit']);
  });
});
