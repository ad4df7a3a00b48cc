/**
 * Pure Microsoft Teams payloads: the legacy connector MessageCard, or an Adaptive Card wrapped
 * in the `message` envelope that Workflows (Power Automate) webhooks expect.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventColor, eventLabel, eventTime } from '../event-style.ts';

export type TeamsFormat = 'messageCard' | 'adaptiveCard';

/** Teams renders MessageCard text as Markdown: escape its control characters. */
export function escapeTeamsMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (char) => `\\${char}`);
}

function facts(event: AlertEvent): { name: string; value: string }[] {
  return [
    { name: 'Check', value: event.check },
    { name: 'Rule', value: event.rule },
    { name: 'State', value: event.state },
    { name: 'Time', value: eventTime(event) },
  ];
}

export function buildMessageCard(event: AlertEvent): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: `${eventLabel(event)}: ${event.title}`,
    themeColor: eventColor(event).slice(1),
    title: escapeTeamsMarkdown(`${eventLabel(event)}: ${event.title}`),
    text: escapeTeamsMarkdown(event.summary),
    sections: [{ facts: facts(event).map((f) => ({ name: f.name, value: escapeTeamsMarkdown(f.value) })) }],
    ...(event.url
      ? { potentialAction: [{ '@type': 'OpenUri', name: 'Open status page', targets: [{ os: 'default', uri: event.url }] }] }
      : {}),
  };
}

const ADAPTIVE_COLORS: Record<AlertEvent['kind'], string> = {
  firing: 'Attention',
  reminder: 'Warning',
  resolved: 'Good',
  test: 'Accent',
};

export function buildAdaptiveCard(event: AlertEvent): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            // TextBlocks render a small markdown subset (bold, italic, lists, links) and hosts differ
            // on backslash escapes, so text goes as is; facts and titles are what people read
            { type: 'TextBlock', text: `${eventLabel(event)}: ${event.title}`, weight: 'Bolder', size: 'Medium', wrap: true, color: ADAPTIVE_COLORS[event.kind] },
            { type: 'TextBlock', text: event.summary, wrap: true },
            { type: 'FactSet', facts: facts(event).map((f) => ({ title: f.name, value: f.value })) },
          ],
          actions: event.url ? [{ type: 'Action.OpenUrl', title: 'Open status page', url: event.url }] : [],
        },
      },
    ],
  };
}

export function buildTeamsPayload(event: AlertEvent, format: TeamsFormat): Record<string, unknown> {
  return format === 'messageCard' ? buildMessageCard(event) : buildAdaptiveCard(event);
}
