/**
 * Every notifier kind, by the `kind:` value that selects it. The `notifiers:` config schema is
 * derived from this object, so adding a channel kind is one folder and one line here.
 * @module
 */
import type { Notifier } from './notifier.js';
import { webhook } from './webhook/webhook-notifier.js';
import { slack } from './slack/slack-notifier.js';
import { discord } from './discord/discord-notifier.js';
import { teams } from './teams/teams-notifier.js';
import { pagerduty } from './pagerduty/pagerduty-notifier.js';
import { email } from './email/email-notifier.js';
import { sns } from './sns/sns-notifier.js';

export const notifiers = { webhook, slack, discord, teams, pagerduty, email, sns } satisfies Record<string, Notifier>;

export type NotifierRegistry = Record<string, Notifier>;
