/**
 * Kuma notifications → Upstate channels, for the channel kinds Upstate has (slack, discord, teams,
 * pagerduty, email, webhook). URLs and keys that grant access become `${ENV}` references.
 * @module
 */
import { isHttpUrl } from '../mapping-helpers.ts';
import type { SecretBook } from '../secret-book.ts';
import type { KumaNotification } from './kuma-model.ts';

export type ChannelMapping = { config: Record<string, unknown>; dropped: string[] } | { skip: string };

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Maps one notification; `channel` is the Upstate channel name (for variable names). */
export function mapKumaNotification(n: KumaNotification, channel: string, secrets: SecretBook): ChannelMapping {
  const c = n.config;
  const type = String(c.type ?? '').trim();
  const secretUrl = (key: string, what: string): string | { skip: string } => {
    const url = str(c[key]);
    if (!isHttpUrl(url)) return { skip: `${what} has no valid webhook URL` };
    return secrets.ref([channel, 'url'], url);
  };
  const dropped: string[] = [];
  switch (type.toLowerCase()) {
    case 'slack': {
      const url = secretUrl('slackwebhookURL', 'Slack notification');
      if (typeof url !== 'string') return url;
      const config: Record<string, unknown> = { kind: 'slack', url };
      if (str(c.slackchannel)) config.channel = str(c.slackchannel);
      if (str(c.slackusername)) config.username = str(c.slackusername);
      const emoji = str(c.slackiconemo);
      if (emoji && /^:[\w+-]+:$/.test(emoji)) config.iconEmoji = emoji;
      return { config, dropped };
    }
    case 'discord': {
      const url = secretUrl('discordWebhookUrl', 'Discord notification');
      if (typeof url !== 'string') return url;
      const config: Record<string, unknown> = { kind: 'discord', url };
      if (str(c.discordUsername)) config.username = str(c.discordUsername)!.slice(0, 80);
      return { config, dropped };
    }
    case 'teams': {
      const url = secretUrl('webhookUrl', 'Teams notification');
      return typeof url === 'string' ? { config: { kind: 'teams', url }, dropped } : url;
    }
    case 'pagerduty': {
      const key = str(c.pagerdutyIntegrationKey);
      if (!key) return { skip: 'PagerDuty notification without an integration key' };
      const config: Record<string, unknown> = { kind: 'pagerduty', routingKey: secrets.ref([channel, 'routing key'], key) };
      const url = str(c.pagerdutyIntegrationUrl);
      if (url && isHttpUrl(url) && !url.startsWith('https://events.pagerduty.com/')) config.eventsUrl = url;
      if (str(c.pagerdutyPriority)) dropped.push(`PagerDuty priority ${str(c.pagerdutyPriority)} is not mapped (Upstate sends severity critical)`);
      return { config, dropped };
    }
    case 'smtp': {
      const host = str(c.smtpHost);
      const to = str(c.smtpTo);
      const from = str(c.smtpFrom);
      if (!host || !to || !from) return { skip: 'SMTP notification needs host, from and to' };
      const config: Record<string, unknown> = { kind: 'email', host, port: Number(c.smtpPort) || 587, from, to: to.split(',').map((a) => a.trim()).filter(Boolean) };
      if (c.smtpSecure === true || c.smtpSecure === 'true') config.secure = true;
      if (str(c.smtpUsername)) config.user = str(c.smtpUsername);
      if (str(c.smtpPassword)) config.pass = secrets.ref([channel, 'smtp password'], str(c.smtpPassword)!);
      if (str(c.smtpCC) || str(c.smtpBCC)) dropped.push('CC/BCC recipients are not supported; add them to "to" if wanted');
      if (str(c.customSubject) || str(c.customBody)) dropped.push('custom subject/body templates are not supported');
      return { config, dropped };
    }
    case 'webhook': {
      const url = str(c.webhookURL);
      if (!isHttpUrl(url)) return { skip: 'webhook notification has no valid URL' };
      const config: Record<string, unknown> = { kind: 'webhook', url: secrets.ref([channel, 'url'], url) };
      const headers = str(c.webhookAdditionalHeaders);
      if (headers) {
        try {
          const parsed = JSON.parse(headers) as Record<string, unknown>;
          config.headers = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, secrets.ref([channel, k], String(v))]));
        } catch {
          dropped.push('additional headers are not valid JSON and were dropped');
        }
      }
      if (c.webhookContentType === 'form-data') dropped.push('form-data payloads are not supported; Upstate posts JSON');
      if (c.webhookContentType === 'custom') dropped.push('the custom body template is not supported; Upstate posts its own JSON');
      return { config, dropped };
    }
    default:
      return { skip: `notification type "${type || '(none)'}" has no Upstate channel kind (channels: webhook, slack, discord, teams, pagerduty, email, sns)` };
  }
}
