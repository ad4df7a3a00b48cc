/**
 * Generic webhook channel: JSON (or templated) body, custom headers, optional HMAC signature.
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.ts';
import { isHttpUrl } from '../../../kernel/http-url.ts';
import { postBody } from '../post-json.ts';
import { buildWebhookRequest } from './webhook-payload.ts';
import { templateProblem } from '../../message-template.ts';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const webhookSchema = z.strictObject({
  url: z.string().refine(isHttpUrl, 'must be an absolute http(s) URL'),
  method: z.enum(['POST', 'PUT']).default('POST'),
  headers: z
    .record(z.string().regex(HEADER_NAME, 'must be a valid header name'), z.string())
    .optional(),
  /** Body template (Nunjucks, the variables of message-template.ts); the default body is the event as JSON. */
  template: z
    .string()
    .superRefine((template, ctx) => {
      const problem = templateProblem(template);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  contentType: z.string().min(1).default('application/json'),
  /** Secret for the HMAC-SHA256 signature header; no signature without it. */
  secret: z.string().min(1).optional(),
  signatureHeader: z.string().regex(HEADER_NAME, 'must be a valid header name').default('X-Upstate-Signature'),
});

export type WebhookConfig = z.output<typeof webhookSchema>;

export const webhook = defineNotifier<WebhookConfig>({
  kind: 'webhook',
  schema: webhookSchema,
  async send(event, config, { signal }) {
    // the signed time is when the request leaves, not when the alert happened (a retry is re-signed)
    const { body, headers } = buildWebhookRequest(event, config, Date.now());
    await postBody(config.url, body, { method: config.method, headers, signal });
  },
});
