/**
 * Pure Microsoft Teams payloads: the legacy connector MessageCard, or an Adaptive Card wrapped
 * in the `message` envelope that Workflows (Power Automate) webhooks expect.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventColor, eventLabel, eventTime } from '../event-style.ts';
import { clip, clipEscaped } from '../clip.ts';

// Teams refuses a message over 28 KB. Texts are clipped in characters so that even three UTF-8
// bytes per character, escaped, with every field, stays under it.
const TITLE_LIMIT = 500;
const SUMMARY_LIMIT = 4_000;
const FACT_LIMIT = 500;

export type TeamsFormat = 'messageCard' | 'adaptiveCard';

/** Teams renders MessageCard text as Markdown: escape its control characters. */
export function escapeTeamsMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (char) => `\\${char}`);
}

function facts(event: AlertEvent): { name: string; value: string }[] {
  return [
    { name: 'Check', value: clip(event.check, FACT_LIMIT) },
    { name: 'Rule', value: event.rule },
    { name: 'State', value: event.state },
    { name: 'Time', value: eventTime(event) },
  ];
}

export function buildMessageCard(event: AlertEvent): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: clip(`${eventLabel(event)}: ${event.title}`, TITLE_LIMIT),
    themeColor: eventColor(event).slice(1),
    title: clipEscaped(`${eventLabel(event)}: ${event.title}`, TITLE_LIMIT, escapeTeamsMarkdown),
    text: clipEscaped(event.summary, SUMMARY_LIMIT, escapeTeamsMarkdown),
    sections: [{ facts: facts(event).map((f) => ({ name: f.name, value: clipEscaped(f.value, FACT_LIMIT, escapeTeamsMarkdown) })) }],
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
            { type: 'TextBlock', text: clip(`${eventLabel(event)}: ${event.title}`, TITLE_LIMIT), weight: 'Bolder', size: 'Medium', wrap: true, color: ADAPTIVE_COLORS[event.kind] },
            { type: 'TextBlock', text: clip(event.summary, SUMMARY_LIMIT), wrap: true },
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
