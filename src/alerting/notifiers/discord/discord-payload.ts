/**
 * Pure Discord webhook payload: one embed per event. Mentions are disabled so a check name or
 * summary containing `@everyone` can never ping a server.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventColor, eventLabel, eventTime } from '../event-style.ts';
import { clip } from '../clip.ts';

export interface DiscordPayloadConfig {
  username?: string;
  avatarUrl?: string;
}

// Discord's documented limits: embed title 256, description 4,096, field value 1,024 characters,
// and 6,000 for all of an embed's texts together (here at most 256 + 4,096 + 1,024 + ~40)

export function buildDiscordPayload(event: AlertEvent, config: DiscordPayloadConfig): Record<string, unknown> {
  return {
    ...(config.username ? { username: config.username } : {}),
    ...(config.avatarUrl ? { avatar_url: config.avatarUrl } : {}),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(`${eventLabel(event)}: ${event.title}`, 256),
        description: clip(event.summary, 4096),
        color: Number.parseInt(eventColor(event).slice(1), 16),
        timestamp: eventTime(event),
        ...(event.url ? { url: event.url } : {}),
        fields: [
          { name: 'Check', value: clip(event.check, 1024), inline: true },
          { name: 'Rule', value: event.rule, inline: true },
          { name: 'State', value: event.state, inline: true },
        ],
        footer: { text: 'Upstate' },
      },
    ],
  };
}
