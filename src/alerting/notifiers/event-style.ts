/**
 * Presentation shared by the chat-style channels, so Slack, Discord and Teams agree on how a
 * firing, resolved or reminder message looks.
 * @module
 */
import type { AlertEvent } from '../../domain/alert.ts';

const COLORS: Record<AlertEvent['kind'], string> = {
  firing: '#d93025',
  reminder: '#e37400',
  resolved: '#1e8e3e',
  test: '#1a73e8',
};

const LABELS: Record<AlertEvent['kind'], string> = {
  firing: 'FIRING',
  reminder: 'STILL FIRING',
  resolved: 'RESOLVED',
  test: 'TEST',
};

/** Hex colour (`#rrggbb`) for the event's kind. */
export function eventColor(event: AlertEvent): string {
  return COLORS[event.kind];
}

/** Upper-case label for the event's kind, e.g. `FIRING`. */
export function eventLabel(event: AlertEvent): string {
  return LABELS[event.kind];
}

/** ISO-8601 time of the event. */
export function eventTime(event: AlertEvent): string {
  return new Date(event.at).toISOString();
}


/** The plain-text rendering of an event, shared by email and SNS. */
export function plainText(event: AlertEvent): string {
  const lines = [`${eventLabel(event)}: ${event.title}`, '', event.summary, '', `Check: ${event.check}`, `Rule: ${event.rule}`, `State: ${event.state}`, `Time: ${eventTime(event)}`];
  if (event.url) lines.push(`Link: ${event.url}`);
  return `${lines.join('\n')}\n`;
}
