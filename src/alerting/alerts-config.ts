/**
 * Config sections owned by alerting:
 * - `alerts:` — global switch, `defaults` (every check), `groups.<group>` and `checks.<name>`
 *   overrides, each a rule set (see rules/rules-schema.ts);
 * - `notifiers:` — named channels `{ kind, enabled, timeout, concurrency, …kind fields }`, the
 *   kind fields validated by that kind's own strict schema from the notifier registry.
 * @module
 */
import { z } from 'zod';
import { duration } from '../kernel/duration.ts';
import { ruleSetSchema, type RuleSet } from './rules/rules-schema.ts';
import { dependencyIssues } from './dependencies.ts';
import { GROUP_FIELDS } from './group-message.ts';
import { defaultRouteSchema, routesSchema } from './routing/routes-schema.ts';
import { templateProblem } from './message-template.ts';
import type { ChannelTemplates } from './channel-templates.ts';
import { ackLinksSchema } from './ack-links-config.ts';
import { notifiers as defaultNotifiers, type NotifierRegistry } from './notifiers/registry.ts';

const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;
const DEFAULT_CHANNEL_CONCURRENCY = 4;

const name = z.string().trim().min(1).max(200);

export const alertsConfigSchema = z
  .strictObject({
    /** Global switch: false stops evaluation and delivery, keeping every rule and channel. */
    enabled: z.boolean().default(true),
    defaults: ruleSetSchema.optional(),
    groups: z.record(name, ruleSetSchema).optional(),
    checks: z.record(name, ruleSetSchema).optional(),
    /** Checks whose URLs go into messages whole; every other message has userinfo and query values redacted. */
    unredactedChecks: z.array(name).optional(),
    /** Messages of one channel with the same `by` values go out as one: first after `wait`, then at most every `interval`. */
    grouping: z
      .strictObject({
        by: z.array(z.enum(GROUP_FIELDS)).min(1),
        wait: duration.refine((ms) => ms >= 0 && ms <= 600_000, 'must be between 0s and 10m').default(30_000),
        /** A group's follow-up messages go out at most this often (Alertmanager's group_interval). */
        interval: duration.refine((ms) => ms >= 0 && ms <= 86_400_000, 'must be between 0s and 24h').default(300_000),
      })
      .optional(),
    /** Channels by severity, labels, group, check or rule, and by business hours (routing/route-alert.ts). */
    routes: routesSchema.optional(),
    /** Where alarms that no route takes go; without it they go nowhere (once `routes` is set). */
    defaultRoute: defaultRouteSchema.optional(),
    /** Signed, expiring acknowledge links in firing messages and reminders (ack-link.ts). */
    ackLinks: ackLinksSchema.optional(),
  })
  .default({ enabled: true });

/** One configured channel after validation; `config` is the kind's own validated config. */
export interface ChannelConfig {
  kind: string;
  enabled: boolean;
  timeoutMs: number;
  /** Deliveries in flight at once on this channel. */
  concurrency: number;
  /** Nunjucks templates for the title and text of this channel's messages (clipped by the channel afterwards). */
  templates?: ChannelTemplates;
  config: unknown;
}

/** A Nunjucks template, checked when the config loads (message-template.ts). */
const templateSource = z.string().superRefine((source, ctx) => {
  const problem = templateProblem(source);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Builds the `notifiers:` schema from a notifier registry. */
export function buildNotifiersSchema(registry: NotifierRegistry) {
  const kinds = Object.keys(registry) as [string, ...string[]];
  const entry = z
    .looseObject({
      kind: z.enum(kinds, { error: () => `must be one of ${kinds.join(', ')}` }),
      enabled: z.boolean().default(true),
      timeout: duration.refine((ms) => ms > 0 && ms <= 120_000, 'must be between 1ms and 2m').default(DEFAULT_CHANNEL_TIMEOUT_MS),
      concurrency: z.number().int().min(1).max(64).default(DEFAULT_CHANNEL_CONCURRENCY),
      templates: z.strictObject({ title: templateSource.optional(), text: templateSource.optional() }).optional(),
    })
    .transform((value, ctx): ChannelConfig => {
      const { kind, enabled, timeout, concurrency, templates, ...fields } = value;
      const parsed = registry[kind].schema.safeParse(fields);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
        return z.NEVER;
      }
      return { kind, enabled, timeoutMs: timeout, concurrency, ...(templates ? { templates } : {}), config: parsed.data };
    });
  return z.record(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be a channel name like ops-slack'), entry).default({});
}

export const notifiersConfigSchema = buildNotifiersSchema(defaultNotifiers);

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
export type NotifiersConfig = Record<string, ChannelConfig>;

/** A cross-section problem, with the config path it belongs to. */
export interface AlertsConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Checks what one section cannot see alone: rule `channels` must name configured channels, and
 * `groups`/`checks` keys should name real groups/checks (a typo would silently do nothing).
 */
export function alertsConfigIssues(
  alerts: AlertsConfig,
  channels: NotifiersConfig,
  checks: readonly { name: string; group?: string; dependsOn?: readonly string[] }[],
): AlertsConfigIssue[] {
  const issues: AlertsConfigIssue[] = dependencyIssues(checks);
  const known = Object.keys(channels);
  const scan = (set: RuleSet | undefined, path: (string | number)[]) => {
    for (const [kind, rule] of Object.entries(set ?? {})) {
      rule?.channels?.forEach((channel, index) => {
        if (!channels[channel]) {
          issues.push({ path: [...path, kind, 'channels', index], message: `unknown channel "${channel}"; configured: ${known.join(', ') || 'none'}` });
        }
      });
      rule?.escalate?.to.forEach((channel, index) => {
        if (!channels[channel]) {
          issues.push({ path: [...path, kind, 'escalate', 'to', index], message: `unknown channel "${channel}"; configured: ${known.join(', ') || 'none'}` });
        }
      });
    }
  };
  scan(alerts.defaults, ['alerts', 'defaults']);
  const groups = new Set(checks.map((c) => c.group).filter(Boolean));
  const names = new Set(checks.map((c) => c.name));
  for (const [group, set] of Object.entries(alerts.groups ?? {})) {
    if (!groups.has(group)) issues.push({ path: ['alerts', 'groups', group], message: `no check is in group "${group}"` });
    scan(set, ['alerts', 'groups', group]);
  }
  for (const [check, set] of Object.entries(alerts.checks ?? {})) {
    if (!names.has(check)) issues.push({ path: ['alerts', 'checks', check], message: `no check is named "${check}"` });
    scan(set, ['alerts', 'checks', check]);
  }
  const channelIssue = (channel: string, path: (string | number)[]) => {
    if (!channels[channel]) issues.push({ path, message: `unknown channel "${channel}"; configured: ${known.join(', ') || 'none'}` });
  };
  alerts.routes?.forEach((route, index) => {
    const path = ['alerts', 'routes', index];
    route.channels.forEach((channel, at) => channelIssue(channel, [...path, 'channels', at]));
    // a matcher naming nothing would silently never match
    route.match?.check?.forEach((check, at) => {
      if (!names.has(check)) issues.push({ path: [...path, 'match', 'check', ...(route.match!.check!.length > 1 ? [at] : [])], message: `no check is named "${check}"` });
    });
    route.match?.group?.forEach((group, at) => {
      if (!groups.has(group)) issues.push({ path: [...path, 'match', 'group', ...(route.match!.group!.length > 1 ? [at] : [])], message: `no check is in group "${group}"` });
    });
  });
  alerts.defaultRoute?.channels.forEach((channel, at) => channelIssue(channel, ['alerts', 'defaultRoute', 'channels', at]));
  alerts.unredactedChecks?.forEach((check, index) => {
    if (!names.has(check)) issues.push({ path: ['alerts', 'unredactedChecks', index], message: `no check is named "${check}"` });
  });
  return issues;
}
