/**
 * Pure request building for the generic webhook: the body (default JSON, or a Nunjucks template)
 * and its headers, including an HMAC-SHA256 signature over the send time and the exact body bytes.
 * @module
 */
import { createHmac } from 'node:crypto';
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventBody, renderTemplate, templateVariables } from '../../message-template.ts';

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

/** A string as it goes inside JSON quotes. */
const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);

/**
 * Fills a body template (Nunjucks, the variables of message-template.ts). In a JSON template
 * string values are JSON-string-escaped (without the quotes), so `"text": "{{ summary }}"` stays
 * valid JSON whatever the summary contains; `{{ json }}` is the default body.
 */
function renderBody(template: string, event: AlertEvent, json: boolean): string {
  return renderTemplate(template, templateVariables(event, json ? jsonEscape : undefined));
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
  const body = config.template ? renderBody(config.template, event, json) : JSON.stringify(eventBody(event));
  // header names are case-insensitive: lower-case them so a custom `Content-Type` cannot be sent twice
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-type'] = config.contentType;
  if (config.secret) headers[config.signatureHeader.toLowerCase()] = signBody(body, config.secret, sentAt);
  return { body, headers };
}
