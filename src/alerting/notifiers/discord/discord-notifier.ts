/**
 * Discord webhook channel.
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.js';
import { isHttpUrl } from '../event-style.js';
import { postJson } from '../post-json.js';
import { buildDiscordPayload } from './discord-payload.js';

export const discordSchema = z.strictObject({
  url: z.string().refine(isHttpUrl, 'must be the webhook URL (https://discord.com/api/webhooks/…)'),
  username: z.string().min(1).max(80).optional(),
  avatarUrl: z.string().refine(isHttpUrl, 'must be an absolute http(s) URL').optional(),
});

export type DiscordConfig = z.output<typeof discordSchema>;

export const discord = defineNotifier<DiscordConfig>({
  kind: 'discord',
  schema: discordSchema,
  async send(event, config, { signal }) {
    await postJson(config.url, buildDiscordPayload(event, config), { signal });
  },
});
