/**
 * Webhook subscriptions: the same notices as email, as JSON, POSTed through a configured
 * `webhook` notifier (its url, method, headers and secret) and signed exactly like alert webhooks
 * (`t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, docs/alerting.md). One attempt per notice,
 * bounded by the channel's timeout; a failure is logged, not retried.
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import { postBody } from '../alerting/notifiers/post-json.ts';
import { signBody } from '../alerting/notifiers/webhook/webhook-payload.ts';
import type { WebhookTarget } from './subscriptions-config.ts';
import type { NoticeKind } from './subscription-notice.ts';

/** The JSON body of a notice (public facts only: what the incident page shows). */
export function webhookNoticeBody(kind: NoticeKind, incident: Incident, page: { title: string; url: string }, sentAt: number): string {
  const latest = incident.updates.at(-1);
  return JSON.stringify({
    event: kind,
    page,
    incident: {
      id: incident.id,
      kind: incident.kind,
      title: incident.title,
      status: incident.status,
      impact: incident.impact,
      checks: incident.checks,
      url: `${page.url}/incidents/${encodeURIComponent(incident.id)}`,
      createdAt: new Date(incident.createdAt).toISOString(),
      updatedAt: new Date(incident.updatedAt).toISOString(),
      ...(incident.scheduledFor === undefined ? {} : { scheduledFor: new Date(incident.scheduledFor).toISOString() }),
      ...(incident.scheduledUntil === undefined ? {} : { scheduledUntil: new Date(incident.scheduledUntil).toISOString() }),
      latestUpdate: latest ? { status: latest.status, body: latest.body, at: new Date(latest.at).toISOString() } : null,
    },
    sentAt: new Date(sentAt).toISOString(),
  });
}

/** Sends one notice to one webhook; throws on failure (the caller logs). */
export async function sendWebhookNotice(target: WebhookTarget, body: string, sentAt: number): Promise<void> {
  const { webhook } = target;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(webhook.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-type'] = 'application/json';
  if (webhook.secret) headers[webhook.signatureHeader.toLowerCase()] = signBody(body, webhook.secret, sentAt);
  await postBody(webhook.url, body, { method: webhook.method, headers, signal: AbortSignal.timeout(target.timeoutMs) });
}
