/**
 * Microsoft Teams webhook channel (connector MessageCard or Workflows Adaptive Card).
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.js';
import { isHttpUrl } from '../event-style.js';
import { postJson } from '../post-json.js';
import { buildTeamsPayload } from './teams-payload.js';

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
