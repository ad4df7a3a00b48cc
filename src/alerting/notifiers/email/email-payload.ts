/**
 * Pure email rendering: a one-line subject, a plain-text body and an HTML body in which every
 * event field is escaped (check names and summaries come from config and probe output).
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventColor, eventLabel, eventTime, plainText } from '../event-style.ts';
import { clip } from '../clip.ts';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for HTML element content and double-quoted attributes. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

export function buildEmail(event: AlertEvent, subjectPrefix: string): EmailMessage {
  // a header must be one line: CR/LF in a title would otherwise inject headers
  const subject = `${subjectPrefix ? `${subjectPrefix} ` : ''}${eventLabel(event)}: ${event.title}`.replace(/[\r\n]+/g, ' ');
  // RFC 5322 allows 998 characters a line; mail clients show far fewer and some refuse over 255
  const subjectLine = clip(subject, 250);
  const rows = [
    ['Check', event.check],
    ['Rule', event.rule],
    ['State', event.state],
    ['Time', eventTime(event)],
  ]
    .map(([name, value]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${name}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const link = event.url ? `<p><a href="${escapeHtml(event.url)}">Open the status page</a></p>` : '';
  const html = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subjectLine)}</title></head>`,
    '<body style="font-family:sans-serif">',
    `<h2 style="color:${eventColor(event)}">${escapeHtml(`${eventLabel(event)}: ${event.title}`)}</h2>`,
    `<p>${escapeHtml(event.summary)}</p>`,
    `<table>${rows}</table>`,
    link,
    '</body></html>',
  ].join('');
  return { subject: subjectLine, text: plainText(event), html };
}
