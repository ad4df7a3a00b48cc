/**
 * The notifier kinds as senders only, each kind's module imported on its first send: what
 * delivery needs (`send`) without the config schemas. So a process whose config was validated
 * elsewhere (the Lambda functions) loads only the channel kinds that actually send — never the
 * email (SMTP) code for a config of Slack channels, nor zod for the schemas. In a bundle each
 * `import()` is its own chunk. Where the config is parsed in-process (`serve`), registry.ts is
 * already loaded and the import resolves at once.
 *
 * The keys are the registry's (registry.ts) and each loader resolves to the registry's own
 * notifier (lazy-registry.test.ts checks both), so delivery behaves exactly as with the registry.
 * @module
 */
import { loadOnce } from '../../kernel/load-once.ts';
import type { Notifier, NotifierSenders } from './notifier.ts';

/** A sender whose module is imported on the first send; a failed import is retried on the next. */
function lazyNotifier(load: () => Promise<Notifier>): NotifierSenders[string] {
  const loaded = loadOnce(load);
  return {
    async send(event, config, ctx) {
      return (await loaded()).send(event, config, ctx);
    },
  };
}

/** How to load each kind of registry.ts (lazy-registry.test.ts checks they give the registry's own notifiers). */
export const notifierLoaders = {
  webhook: async () => (await import('./webhook/webhook-notifier.ts')).webhook,
  slack: async () => (await import('./slack/slack-notifier.ts')).slack,
  discord: async () => (await import('./discord/discord-notifier.ts')).discord,
  teams: async () => (await import('./teams/teams-notifier.ts')).teams,
  pagerduty: async () => (await import('./pagerduty/pagerduty-notifier.ts')).pagerduty,
  email: async () => (await import('./email/email-notifier.ts')).email,
  sns: async () => (await import('./sns/sns-notifier.ts')).sns,
} satisfies Record<string, () => Promise<Notifier>>;

/** Every kind of registry.ts, loaded on its first send. */
export const lazyNotifiers: Record<keyof typeof notifierLoaders, NotifierSenders[string]> = Object.fromEntries(
  Object.entries(notifierLoaders).map(([kind, load]) => [kind, lazyNotifier(load)]),
) as Record<keyof typeof notifierLoaders, NotifierSenders[string]>;
