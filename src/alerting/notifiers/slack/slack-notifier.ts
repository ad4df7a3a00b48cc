/**
 * Slack incoming-webhook channel.
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.ts';
import { isHttpUrl } from '../../../kernel/http-url.ts';
import { postJson } from '../post-json.ts';
import { buildSlackPayload } from './slack-payload.ts';

export const slackSchema = z.strictObject({
  url: z.string().refine(isHttpUrl, 'must be the incoming-webhook URL (https://hooks.slack.com/services/…)'),
  channel: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  iconEmoji: z.string().regex(/^:[\w+-]+:$/, 'must look like :rotating_light:').optional(),
});

export type SlackConfig = z.output<typeof slackSchema>;

export const slack = defineNotifier<SlackConfig>({
  kind: 'slack',
  schema: slackSchema,
  async send(event, config, { signal }) {
    await postJson(config.url, buildSlackPayload(event, config), { signal });
  },
});
