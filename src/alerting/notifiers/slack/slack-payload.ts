/**
 * Pure Slack incoming-webhook payload: a fallback `text` (what the notification shows) plus a
 * coloured attachment with Block Kit sections.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventColor, eventLabel, eventTime } from '../event-style.ts';

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
  const title = escapeSlack(event.title);
  const heading = event.url ? `<${event.url}|${title}>` : title;
  return {
    text: `${eventLabel(event)}: ${title}`,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
    ...(config.iconEmoji ? { icon_emoji: config.iconEmoji } : {}),
    attachments: [
      {
        color: eventColor(event),
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*${heading}*\n${escapeSlack(event.summary)}` } },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `${eventLabel(event)} · ${escapeSlack(event.check)} · ${event.rule} · ${eventTime(event)}` }],
          },
        ],
      },
    ],
  };
}
