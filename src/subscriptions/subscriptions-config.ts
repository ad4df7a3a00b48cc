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
import type { WebhookConfig } from '../alerting/notifiers/webhook/webhook-notifier.ts';

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
    /** Webhooks told about the same events as email subscribers, each through a `webhook` notifier. */
    webhooks: z
      .array(
        z.strictObject({
          /** Name of the `notifiers:` entry (kind `webhook`): its url, method, headers and secret are used. */
          notifier: z.string().min(1),
          /** Only incidents affecting these checks or groups (neither: every incident). */
          checks: z.array(z.string().min(1)).default([]),
          groups: z.array(z.string().min(1)).default([]),
        }),
      )
      .max(50)
      .default([]),
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
  webhooks?: WebhookTarget[];
  rateLimit: RawSubscriptionsConfig['rateLimit'];
}

/** One webhook subscription, with its notifier's settings resolved. */
export interface WebhookTarget {
  notifier: string;
  timeoutMs: number;
  webhook: WebhookConfig;
  checks: string[];
  groups: string[];
}

/** A cross-section problem, with the config path it belongs to. */
interface SubscriptionsConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Resolves `subscriptions.email.notifier` and each `subscriptions.webhooks[].notifier` against the
 * configured channels (kind `email`, kind `webhook` without `template`), checks the webhooks'
 * check and group names, and requires `page.publicUrl`: every notice carries absolute links.
 */
export function resolveSubscriptions(
  raw: z.output<typeof subscriptionsConfigSchema>,
  channels: Record<string, { kind: string; timeoutMs: number; config: unknown }>,
  publicUrl: string | undefined,
  checks: readonly { name: string; group?: string }[],
): { value?: SubscriptionsConfig; issues: SubscriptionsConfigIssue[] } {
  if (!raw) return { issues: [] };
  const issues: SubscriptionsConfigIssue[] = [];
  const named = (kind: string) => Object.entries(channels).filter(([, c]) => c.kind === kind).map(([name]) => name).join(', ') || 'none';
  const channel = raw.email ? channels[raw.email.notifier] : undefined;
  if (raw.email && channel?.kind !== 'email') {
    issues.push({ path: ['subscriptions', 'email', 'notifier'], message: `must name a notifier of kind email; configured email notifiers: ${named('email')}` });
  }
  const checkNames = new Set(checks.map((c) => c.name));
  const groupNames = new Set(checks.flatMap((c) => (c.group ? [c.group] : [])));
  const webhooks: WebhookTarget[] = [];
  raw.webhooks.forEach((hook, index) => {
    const path = ['subscriptions', 'webhooks', index];
    const target = channels[hook.notifier];
    if (target?.kind !== 'webhook') {
      issues.push({ path: [...path, 'notifier'], message: `must name a notifier of kind webhook; configured webhook notifiers: ${named('webhook')}` });
    } else if ((target.config as WebhookConfig).template !== undefined) {
      issues.push({ path: [...path, 'notifier'], message: `notifier "${hook.notifier}" has a template, which is for alert events; subscription webhooks send the notice JSON (use a notifier without template)` });
    } else {
      webhooks.push({ notifier: hook.notifier, timeoutMs: target.timeoutMs, webhook: target.config as WebhookConfig, checks: hook.checks, groups: hook.groups });
    }
    hook.checks.forEach((name, i) => {
      if (!checkNames.has(name)) issues.push({ path: [...path, 'checks', i], message: `unknown check "${name}"` });
    });
    hook.groups.forEach((name, i) => {
      if (!groupNames.has(name)) issues.push({ path: [...path, 'groups', i], message: `unknown group "${name}"` });
    });
  });
  if ((raw.email || raw.webhooks.length) && !publicUrl) {
    issues.push({ path: ['subscriptions', raw.email ? 'email' : 'webhooks'], message: 'needs page.publicUrl: links in notices must be absolute' });
  }
  if (issues.length) return { issues };
  const email = raw.email && { notifier: raw.email.notifier, confirmWithinMs: raw.email.confirmWithin, smtp: channel!.config as EmailConfig };
  return { value: { email, webhooks, rateLimit: raw.rateLimit }, issues };
}
