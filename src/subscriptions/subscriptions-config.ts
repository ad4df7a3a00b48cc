/**
 * The `subscriptions:` config section: email subscriptions sent through one of the configured
 * SMTP notifiers (`notifiers:` entry of kind `email`; its host, port, TLS, credentials and
 * `from` are reused, its `to` is not), and the rate limits that keep a public sign-up form from
 * being turned into a mail cannon.
 * @module
 */
import { z } from 'zod';
import { duration } from '../kernel/duration.ts';
import type { EmailConfig } from '../alerting/notifiers/email/email-notifier.ts';

const HOUR = 3_600_000;

export const subscriptionsConfigSchema = z
  .strictObject({
    email: z
      .strictObject({
        /** Name of the `notifiers:` entry (kind `email`) whose SMTP settings send the mail. */
        notifier: z.string().min(1),
        /** How long a confirmation link stays valid (default 48h). */
        confirmWithin: duration.refine((ms) => ms >= 60_000 && ms <= 30 * 24 * HOUR, 'must be between 1m and 30d').default(48 * HOUR),
      })
      .optional(),
    rateLimit: z
      .strictObject({
        /** Sign-ups (confirmation emails) one address may be sent per hour. */
        perAddressPerHour: z.number().int().min(1).max(100).default(3),
        /** Sign-up requests one client address may make per hour. */
        perClientPerHour: z.number().int().min(1).max(10_000).default(20),
        /** Emails sent per minute by this process, all kinds together; the rest wait their turn. */
        sendsPerMinute: z.number().int().min(1).max(100_000).default(120),
      })
      .prefault({}),
  })
  .optional();

type RawSubscriptionsConfig = NonNullable<z.output<typeof subscriptionsConfigSchema>>;

/** The validated section with the SMTP settings of the named notifier resolved. */
export interface SubscriptionsConfig {
  email?: { notifier: string; confirmWithinMs: number; smtp: EmailConfig };
  rateLimit: RawSubscriptionsConfig['rateLimit'];
}

/** A cross-section problem, with the config path it belongs to. */
interface SubscriptionsConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Resolves `subscriptions.email.notifier` against the configured channels. It must name an
 * `email` channel, and `page.publicUrl` must be set: every email carries absolute links.
 */
export function resolveSubscriptions(
  raw: z.output<typeof subscriptionsConfigSchema>,
  channels: Record<string, { kind: string; config: unknown }>,
  publicUrl: string | undefined,
): { value?: SubscriptionsConfig; issues: SubscriptionsConfigIssue[] } {
  if (!raw) return { issues: [] };
  if (!raw.email) return { value: { rateLimit: raw.rateLimit }, issues: [] };
  const issues: SubscriptionsConfigIssue[] = [];
  const channel = channels[raw.email.notifier];
  const emailChannels = Object.entries(channels).filter(([, c]) => c.kind === 'email').map(([name]) => name);
  if (!channel || channel.kind !== 'email') {
    issues.push({
      path: ['subscriptions', 'email', 'notifier'],
      message: `must name a notifier of kind email; configured email notifiers: ${emailChannels.join(', ') || 'none'}`,
    });
  }
  if (!publicUrl) issues.push({ path: ['subscriptions', 'email'], message: 'needs page.publicUrl: links in emails must be absolute' });
  if (issues.length) return { issues };
  return {
    value: { email: { notifier: raw.email.notifier, confirmWithinMs: raw.email.confirmWithin, smtp: channel.config as EmailConfig }, rateLimit: raw.rateLimit },
    issues,
  };
}
