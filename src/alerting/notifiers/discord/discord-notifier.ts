/**
 * Discord webhook channel.
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.ts';
import { isHttpUrl } from '../../../kernel/http-url.ts';
import { postJson } from '../post-json.ts';
import { buildDiscordPayload } from './discord-payload.ts';

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
