/**
 * Every notifier kind, by the `kind:` value that selects it. The `notifiers:` config schema is
 * derived from this object, so adding a channel kind is one folder and one line here.
 * @module
 */
import type { Notifier } from './notifier.ts';
import { webhook } from './webhook/webhook-notifier.ts';
import { slack } from './slack/slack-notifier.ts';
import { discord } from './discord/discord-notifier.ts';
import { teams } from './teams/teams-notifier.ts';
import { pagerduty } from './pagerduty/pagerduty-notifier.ts';
import { email } from './email/email-notifier.ts';
import { sns } from './sns/sns-notifier.ts';

export const notifiers = { webhook, slack, discord, teams, pagerduty, email, sns } satisfies Record<string, Notifier>;

export type NotifierRegistry = Record<string, Notifier>;
