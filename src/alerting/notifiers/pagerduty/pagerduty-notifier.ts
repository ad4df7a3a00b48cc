/**
 * PagerDuty Events API v2 channel: trigger on firing/reminder, resolve on resolved.
 * @module
 */
import { z } from 'zod';
import { defineNotifier } from '../notifier.ts';
import { isHttpUrl } from '../../../kernel/http-url.ts';
import { postJson } from '../post-json.ts';
import { buildPagerDutyEvent } from './pagerduty-payload.ts';

const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export const pagerdutySchema = z.strictObject({
  /** Integration (routing) key of an Events API v2 service integration. */
  routingKey: z.string().min(1),
  severity: z.enum(['critical', 'error', 'warning', 'info']).default('critical'),
  /** Shown as the event's source; defaults to "upstate". */
  source: z.string().min(1).default('upstate'),
  /** Events endpoint; only changed for tests or EU/region-specific endpoints. */
  eventsUrl: z.string().refine(isHttpUrl, 'must be an absolute http(s) URL').default(PAGERDUTY_EVENTS_URL),
});

export type PagerDutyConfig = z.output<typeof pagerdutySchema>;

export const pagerduty = defineNotifier<PagerDutyConfig>({
  kind: 'pagerduty',
  schema: pagerdutySchema,
  async send(event, config, { signal }) {
    await postJson(config.eventsUrl, buildPagerDutyEvent(event, config), { signal });
  },
});
