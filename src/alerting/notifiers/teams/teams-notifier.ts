/**
 * Microsoft Teams webhook channel (connector MessageCard or Workflows Adaptive Card).
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.ts';
import { isHttpUrl } from '../../../kernel/http-url.ts';
import { postJson } from '../post-json.ts';
import { buildTeamsPayload } from './teams-payload.ts';

export const teamsSchema = z.strictObject({
  url: z.string().refine(isHttpUrl, 'must be the Teams webhook URL'),
  format: z.enum(['adaptiveCard', 'messageCard']).default('adaptiveCard'),
});

export type TeamsConfig = z.output<typeof teamsSchema>;

export const teams = defineNotifier<TeamsConfig>({
  kind: 'teams',
  schema: teamsSchema,
  async send(event, config, { signal }) {
    await postJson(config.url, buildTeamsPayload(event, config.format), { signal });
  },
});
