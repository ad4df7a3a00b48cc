/**
 * Pure request building for the generic webhook: the body (default JSON, or a template) and its
 * headers, including an HMAC-SHA256 signature over the exact body bytes.
 * @module
 */
import { createHmac } from 'node:crypto';
import type { AlertEvent } from '../../../domain/alert.ts';

/** Fields a body template may name as `{{ field }}`; `{{ json }}` is the whole event as JSON. */
export const TEMPLATE_FIELDS = ['key', 'rule', 'check', 'kind', 'state', 'title', 'summary', 'at', 'time', 'url', 'json'] as const;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

export interface WebhookRequestConfig {
  template?: string;
  contentType: string;
  headers?: Record<string, string>;
  secret?: string;
  signatureHeader: string;
}

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/** Placeholders in a template that are not known fields (for config validation). */
export function unknownTemplateFields(template: string): string[] {
  const known = new Set<string>(TEMPLATE_FIELDS);
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !known.has(name));
}

/** The default body: the event itself plus a version, so receivers can evolve. */
function webhookBody(event: AlertEvent): Record<string, unknown> {
  return { version: 1, ...event, time: new Date(event.at).toISOString() };
}

/**
 * Fills a template. In a JSON template values are JSON-string-escaped (without the quotes), so
 * `"text": "{{ summary }}"` stays valid JSON whatever the summary contains.
 */
export function renderTemplate(template: string, event: AlertEvent, json: boolean): string {
  const values: Record<string, string> = {
    key: event.key,
    rule: event.rule,
    check: event.check,
    kind: event.kind,
    state: event.state,
    title: event.title,
    summary: event.summary,
    at: String(event.at),
    time: new Date(event.at).toISOString(),
    url: event.url ?? '',
    json: JSON.stringify(webhookBody(event)),
  };
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (!json || name === 'json') return value;
    return JSON.stringify(value).slice(1, -1);
  });
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the send time is signed with the body,
 * so a receiver that refuses old timestamps cannot be fed a captured request again later.
 */
export function signBody(body: string, secret: string, sentAt: number): string {
  const t = Math.floor(sentAt / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex')}`;
}

/** Builds the body and headers the webhook sends for `event` at `sentAt` (ms; the signed time). */
export function buildWebhookRequest(event: AlertEvent, config: WebhookRequestConfig, sentAt: number): WebhookRequest {
  const json = /json/i.test(config.contentType);
  const body = config.template ? renderTemplate(config.template, event, json) : JSON.stringify(webhookBody(event));
  // header names are case-insensitive: lower-case them so a custom `Content-Type` cannot be sent twice
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-type'] = config.contentType;
  if (config.secret) headers[config.signatureHeader.toLowerCase()] = signBody(body, config.secret, sentAt);
  return { body, headers };
}
