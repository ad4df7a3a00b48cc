/**
 * Pure PagerDuty Events API v2 payload. `dedup_key` is the alert key, so a firing event and its
 * reminders update one PagerDuty incident and the resolved event closes it.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { createHash } from 'node:crypto';
import { eventTime } from '../event-style.ts';
import { clip } from '../clip.ts';

/**
 * PagerDuty refuses a `dedup_key` over 255 characters. A longer alert key (a very long check
 * name) becomes its start plus a hash of the whole: still stable, so the resolve finds its trigger.
 */
function dedupKey(key: string): string {
  return key.length <= 255 ? key : `${key.slice(0, 190)}#${createHash('sha256').update(key).digest('hex')}`;
}

type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyPayloadConfig {
  routingKey: string;
  severity: PagerDutySeverity;
  source: string;
}

export function buildPagerDutyEvent(event: AlertEvent, config: PagerDutyPayloadConfig): Record<string, unknown> {
  const action = event.kind === 'resolved' ? 'resolve' : 'trigger';
  return {
    routing_key: config.routingKey,
    event_action: action,
    dedup_key: dedupKey(event.key),
    client: 'Upstate',
    ...(event.url ? { client_url: event.url, links: [{ href: event.url, text: 'Status page' }] } : {}),
    payload: {
      // PagerDuty's summary holds at most 1,024 characters
      summary: clip(event.title, 1_024),
      source: config.source,
      severity: config.severity,
      timestamp: eventTime(event),
      component: clip(event.check, 1_024),
      class: event.rule,
      // the whole event may not exceed 512 KB
      custom_details: { summary: clip(event.summary, 65_536), state: event.state, kind: event.kind },
    },
  };
}
