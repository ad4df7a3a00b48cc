/**
 * Pure PagerDuty Events API v2 payload. `dedup_key` is the alert key, so a firing event and its
 * reminders update one PagerDuty incident and the resolved event closes it.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventTime } from '../event-style.ts';

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
    dedup_key: event.key,
    client: 'Upstate',
    ...(event.url ? { client_url: event.url, links: [{ href: event.url, text: 'Status page' }] } : {}),
    payload: {
      // PagerDuty truncates summaries longer than 1024 characters
      summary: `${event.title}`.slice(0, 1024),
      source: config.source,
      severity: config.severity,
      timestamp: eventTime(event),
      component: event.check,
      class: event.rule,
      custom_details: { summary: event.summary, state: event.state, kind: event.kind },
    },
  };
}
