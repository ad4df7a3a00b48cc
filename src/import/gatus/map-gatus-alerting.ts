/**
 * Gatus `alerting:` providers → Upstate channels (slack, discord, teams, teams-workflows,
 * pagerduty, email, custom → webhook). The channel is named after the provider, which is how
 * Gatus endpoints refer to it (`alerts: [{ type: slack }]`).
 * @module
 */
import type { SecretBook } from '../secret-book.ts';
import { keepEnvRefs, secretValue } from './gatus-values.ts';
import type { Loose } from './gatus-endpoint-kinds.ts';

export type ProviderMapping = { config: Record<string, unknown>; dropped: string[] } | { skip: string };

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function mapGatusProvider(type: string, p: Loose, secrets: SecretBook): ProviderMapping {
  const dropped: string[] = [];
  if (p['default-alert']) dropped.push('default-alert settings (thresholds are set per check under alerts.checks)');
  if (p.overrides) dropped.push('per-group overrides');
  const url = (key = 'webhook-url') => {
    const value = str(p[key]);
    return value ? secretValue(value, [type, 'url'], secrets) : undefined;
  };
  switch (type) {
    case 'slack':
    case 'discord':
    case 'teams':
    case 'teams-workflows': {
      const u = url();
      if (!u) return { skip: `${type} without webhook-url` };
      if (p.title || p['message-content']) dropped.push('custom title/message');
      const kind = type === 'teams-workflows' ? 'teams' : type;
      return { config: { kind, url: u }, dropped };
    }
    case 'pagerduty': {
      const key = str(p['integration-key']);
      return key ? { config: { kind: 'pagerduty', routingKey: secretValue(key, [type, 'routing key'], secrets) }, dropped } : { skip: 'pagerduty without integration-key' };
    }
    case 'email': {
      const host = str(p.host);
      const from = str(p.from);
      const to = str(p.to);
      if (!host || !from || !to) return { skip: 'email needs host, from and to' };
      const config: Record<string, unknown> = { kind: 'email', host: keepEnvRefs(host, secrets), port: Number(p.port) || 587, from, to: to.split(',').map((a) => a.trim()) };
      if (str(p.username)) config.user = keepEnvRefs(str(p.username)!, secrets);
      if (str(p.password)) config.pass = secretValue(str(p.password)!, [type, 'password'], secrets);
      if ((p.client as Loose | undefined)?.insecure) dropped.push('client.insecure');
      return { config, dropped };
    }
    case 'custom': {
      const u = str(p.url);
      if (!u) return { skip: 'custom provider without url' };
      const method = String(p.method ?? 'POST').toUpperCase();
      const config: Record<string, unknown> = { kind: 'webhook', url: secretValue(u, [type, 'url'], secrets) };
      if (method === 'PUT') config.method = 'PUT';
      else if (method !== 'POST') dropped.push(`method ${method} (webhooks POST or PUT)`);
      if (p.headers && typeof p.headers === 'object') config.headers = Object.fromEntries(Object.entries(p.headers as Loose).map(([k, v]) => [k, secretValue(String(v), [type, k], secrets)]));
      if (p.body) dropped.push('body template with [ALERT_DESCRIPTION] placeholders (Upstate posts its own JSON)');
      return { config, dropped };
    }
    default:
      return { skip: `provider "${type}" has no Upstate channel kind (channels: webhook, slack, discord, teams, pagerduty, email, sns)` };
  }
}
