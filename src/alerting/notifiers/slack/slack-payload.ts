/**
 * Pure Slack incoming-webhook payload: a fallback `text` (what the notification shows) plus a
 * coloured attachment with Block Kit sections.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventColor, eventLabel, eventTime } from '../event-style.ts';
import { clipEscaped } from '../clip.ts';

/** Slack refuses a section or context text over 3,000 characters (Block Kit limits). */
const TEXT_LIMIT = 3_000;

export interface SlackPayloadConfig {
  channel?: string;
  username?: string;
  iconEmoji?: string;
}

/** Slack mrkdwn treats `&`, `<` and `>` as control characters; everything else is literal. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function buildSlackPayload(event: AlertEvent, config: SlackPayloadConfig): Record<string, unknown> {
  const title = clipEscaped(event.title, 500, escapeSlack);
  const heading = event.url && event.url.length <= 1_000 ? `<${event.url}|${title}>` : title;
  const top = `*${heading}*\n`;
  const context = `${eventLabel(event)} · ${clipEscaped(event.check, 1_000, escapeSlack)} · ${event.rule} · ${eventTime(event)}`;
  return {
    text: `${eventLabel(event)}: ${title}`,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
    ...(config.iconEmoji ? { icon_emoji: config.iconEmoji } : {}),
    attachments: [
      {
        color: eventColor(event),
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `${top}${clipEscaped(event.summary, TEXT_LIMIT - top.length, escapeSlack)}` } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
        ],
      },
    ],
  };
}
