/**
 * A channel's `templates: { title, text }`, applied to each message it sends. Nunjucks
 * (message-template.ts, where templates are also checked when the config loads) is imported only
 * when the channel has templates: channels without them, most of them, never load it.
 * @module
 */
import type { AlertEvent } from '../domain/alert.ts';

/** Channel templates: a new title and/or text (summary) for every message of one channel. */
export interface ChannelTemplates {
  title?: string;
  text?: string;
}

/**
 * The event with the channel's templates applied. A render that fails at send time (it passed the
 * trial at load) keeps the default wording: a message must never be lost to its template.
 */
export async function applyChannelTemplates(event: AlertEvent, templates: ChannelTemplates | undefined, onError: (error: string) => void): Promise<AlertEvent> {
  if (!templates?.title && !templates?.text) return event;
  const { cleanError, renderTemplate, templateVariables } = await import('./message-template.ts');
  const variables = templateVariables(event);
  const render = (source: string | undefined, fallback: string) => {
    if (!source) return fallback;
    try {
      const text = renderTemplate(source, variables).trim();
      return text || fallback;
    } catch (error) {
      onError(cleanError(error));
      return fallback;
    }
  };
  return { ...event, title: render(templates.title, event.title).replace(/\s+/g, ' '), summary: render(templates.text, event.summary) };
}
