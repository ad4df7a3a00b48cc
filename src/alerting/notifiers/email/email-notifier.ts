/**
 * Email channel over SMTP (nodemailer). A fresh transport per delivery: alerts are rare, and a
 * pooled connection would outlive the channel's timeout and the process's shutdown.
 * nodemailer is imported on the first delivery, so a config without an email channel never loads it.
 * @module
 */
import { z } from 'zod';
import { defineNotifier, DeliveryError } from '../notifier.ts';
import { buildEmail } from './email-payload.ts';
import { createSmtpTransport } from './smtp-transport.ts';

const address = z.string().trim().min(3).regex(/@/, 'must be an email address');

export const emailSchema = z
  .strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** Implicit TLS (port 465). Otherwise STARTTLS is used when the server offers it. */
    secure: z.boolean().optional(),
    /** Refuse to send unless the connection is upgraded with STARTTLS. */
    requireTLS: z.boolean().default(false),
    user: z.string().min(1).optional(),
    pass: z.string().min(1).optional(),
    /** Sender, e.g. `Upstate <alerts@example.com>`. */
    from: address,
    to: z.union([address.transform((a) => [a]), z.array(address).min(1)]),
    subjectPrefix: z.string().default('[Upstate]'),
  })
  .refine((c) => (c.user === undefined) === (c.pass === undefined), { message: 'user and pass go together', path: ['pass'] });

export type EmailConfig = z.output<typeof emailSchema>;

export const email = defineNotifier<EmailConfig>({
  kind: 'email',
  schema: emailSchema,
  async send(event, config, { signal }) {
    const message = buildEmail(event, config.subjectPrefix);
    const transport = await createSmtpTransport(config);
    let onAbort: (() => void) | undefined;
    // nodemailer takes no AbortSignal: race the send against it and close the socket on abort
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new DeliveryError(`SMTP delivery to ${config.host}:${config.port} timed out`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([
        transport.sendMail({ from: config.from, to: config.to, subject: message.subject, text: message.text, html: message.html }),
        aborted,
      ]);
    } catch (cause) {
      if (cause instanceof DeliveryError) throw cause;
      const code = (cause as { responseCode?: number }).responseCode;
      // 5xx SMTP replies are permanent (bad recipient, auth refused); 4xx and network errors are not
      throw new DeliveryError(`SMTP delivery via ${config.host}:${config.port} failed: ${(cause as Error).message}`, {
        cause,
        retryable: !(code !== undefined && code >= 500),
      });
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      aborted.catch(() => {});
      transport.close();
    }
  },
});
