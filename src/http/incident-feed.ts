/**
 * RSS 2.0 and Atom 1.0 feeds of incidents and maintenance, so people can follow the page in a
 * feed reader or a chat integration. Built from the status model's incident lists.
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import type { StatusModel } from '../status/status-model.ts';
import { escapeXml } from './badge-svg.ts';
import { clockTime, humanize } from './view-format.ts';

export interface FeedInfo {
  title: string;
  description?: string;
  /** Absolute base URL of the page, no trailing slash. */
  baseUrl: string;
}

/** Incidents for the feed, most recently updated first. */
function feedIncidents(model: StatusModel): Incident[] {
  const { active, maintenanceActive, maintenanceUpcoming, recent } = model.incidents;
  return [...active, ...maintenanceActive, ...maintenanceUpcoming, ...recent].sort((a, b) => b.updatedAt - a.updatedAt);
}

function itemText(incident: Incident): string {
  const lines = [...incident.updates]
    .sort((a, b) => b.at - a.at)
    .map((u) => `${humanize(u.status)} (${clockTime(u.at)}): ${u.body}`);
  if (incident.kind === 'maintenance' && incident.scheduledFor) {
    lines.unshift(`Scheduled ${clockTime(incident.scheduledFor)}${incident.scheduledUntil ? ` – ${clockTime(incident.scheduledUntil)}` : ''}.`);
  }
  if (incident.checks.length) lines.push(`Affected: ${incident.checks.join(', ')}.`);
  return lines.join('\n\n');
}

/**
 * RSS 2.0 `<description>` holds HTML, entity-encoded in the XML: readers decode it once and render
 * it. The incident's text is therefore HTML-escaped into paragraphs first, then XML-escaped, so
 * `<b>` in an update shows as text instead of turning into markup (Atom says `type="text"` instead).
 */
function itemHtml(incident: Incident): string {
  return itemText(incident)
    .split('\n\n')
    .map((paragraph) => `<p>${escapeXml(paragraph)}</p>`)
    .join('');
}

const title = (i: Incident) => `[${humanize(i.status)}] ${i.title}`;

export function rssFeed(model: StatusModel, info: FeedInfo): string {
  const items = feedIncidents(model)
    .map(
      (i) =>
        `<item><title>${escapeXml(title(i))}</title><link>${escapeXml(`${info.baseUrl}/incidents/${i.id}`)}</link>` +
        `<guid isPermaLink="false">${escapeXml(`${i.id}@${i.updatedAt}`)}</guid><pubDate>${new Date(i.updatedAt).toUTCString()}</pubDate>` +
        `<description>${escapeXml(itemHtml(i))}</description></item>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>` +
    `<title>${escapeXml(info.title)}</title><link>${escapeXml(`${info.baseUrl}/`)}</link>` +
    `<description>${escapeXml(info.description ?? `Incidents and maintenance for ${info.title}`)}</description>` +
    `<atom:link href="${escapeXml(`${info.baseUrl}/feed.rss`)}" rel="self" type="application/rss+xml"/>` +
    `<lastBuildDate>${new Date(model.generatedAt).toUTCString()}</lastBuildDate>${items}</channel></rss>\n`
  );
}

export function atomFeed(model: StatusModel, info: FeedInfo): string {
  const incidents = feedIncidents(model);
  const updated = new Date(incidents[0]?.updatedAt ?? model.generatedAt).toISOString();
  const entries = incidents
    .map(
      (i) =>
        `<entry><id>${escapeXml(`${info.baseUrl}/#incident-${i.id}`)}</id><title>${escapeXml(title(i))}</title>` +
        `<updated>${new Date(i.updatedAt).toISOString()}</updated><published>${new Date(i.createdAt).toISOString()}</published>` +
        `<link href="${escapeXml(`${info.baseUrl}/incidents/${i.id}`)}"/><content type="text">${escapeXml(itemText(i))}</content></entry>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">` +
    `<id>${escapeXml(`${info.baseUrl}/`)}</id><title>${escapeXml(info.title)}</title><updated>${updated}</updated>` +
    `<link href="${escapeXml(`${info.baseUrl}/`)}"/><link rel="self" href="${escapeXml(`${info.baseUrl}/feed.atom`)}"/>` +
    `<author><name>${escapeXml(info.title)}</name></author>${entries}</feed>\n`
  );
}
