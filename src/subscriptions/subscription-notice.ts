/**
 * What a saved incident tells subscribers, and the emails themselves (pure). A notice goes out
 * when an incident is opened, gets a new update or is resolved, and when maintenance starts or
 * ends; an edit of the title alone, or maintenance being scheduled, sends nothing.
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import type { Subscriber } from '../storage/ports/subscriptions-port.ts';

export type NoticeKind = 'incident-created' | 'incident-updated' | 'incident-resolved' | 'maintenance-started' | 'maintenance-ended';

const RESOLVED = new Set(['resolved', 'postmortem']);
const RUNNING = new Set(['in_progress', 'verifying']);

/** The notice a save from `previous` to `next` calls for, if any. */
export function noticeFor(previous: Incident | undefined, next: Incident): NoticeKind | undefined {
  if (next.kind === 'maintenance') {
    if (next.status === 'completed' && previous?.status !== 'completed') return previous && RUNNING.has(previous.status) ? 'maintenance-ended' : undefined;
    if (RUNNING.has(next.status) && !(previous && RUNNING.has(previous.status))) return 'maintenance-started';
    return undefined;
  }
  if (!previous) return 'incident-created';
  if (RESOLVED.has(next.status) && !RESOLVED.has(previous.status)) return 'incident-resolved';
  if (next.updates.length > previous.updates.length) return 'incident-updated';
  return undefined;
}

/**
 * Whether a subscriber wants a notice about `incident`: one that names no checks concerns the
 * whole page; otherwise the subscriber must have chosen one of its checks or their groups.
 */
export function wantsNotice(subscriber: Pick<Subscriber, 'checks' | 'groups'>, incident: Incident, groupOf: (check: string) => string | undefined): boolean {
  if (subscriber.checks.length === 0 && subscriber.groups.length === 0) return true;
  if (incident.checks.length === 0) return true;
  return incident.checks.some((check) => {
    const group = groupOf(check);
    return subscriber.checks.includes(check) || (group !== undefined && subscriber.groups.includes(group));
  });
}

/** One email, ready for the transport. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const LABELS: Record<NoticeKind, string> = {
  'incident-created': 'New incident',
  'incident-updated': 'Incident update',
  'incident-resolved': 'Resolved',
  'maintenance-started': 'Maintenance started',
  'maintenance-ended': 'Maintenance completed',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** A header value must be one line: CR/LF in a title would otherwise inject headers. */
const oneLine = (text: string, max = 250) => {
  const line = text.replace(/[\r\n]+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

const html = (title: string, paragraphs: string[]) =>
  [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((p) => `<p>${p}</p>`),
    '</body></html>',
  ].join('');

/** Where a subscriber's links point. */
interface NoticeLinks {
  pageTitle: string;
  publicUrl: string;
  unsubscribeUrl: string;
}

/** The email about `incident` for one subscriber, with RFC 8058 one-click unsubscribe headers. */
export function noticeEmail(kind: NoticeKind, incident: Incident, to: string, links: NoticeLinks): OutgoingEmail {
  const latest = incident.updates.at(-1);
  // a window running by its schedule still says `scheduled`: the notice says what happened
  const status = kind === 'maintenance-started' ? 'in progress' : kind === 'maintenance-ended' ? 'completed' : incident.status.replace('_', ' ');
  const subject = oneLine(`[${links.pageTitle}] ${LABELS[kind]}: ${incident.title}`);
  const incidentUrl = `${links.publicUrl}/incidents/${encodeURIComponent(incident.id)}`;
  const affected = incident.checks.length ? `Affected: ${incident.checks.join(', ')}` : '';
  const text = [
    `${LABELS[kind]}: ${incident.title}`,
    `Status: ${status}`,
    affected,
    latest ? `\n${latest.body}\n` : '',
    `Details: ${incidentUrl}`,
    '',
    `You receive this because you subscribed to ${links.pageTitle}. Unsubscribe: ${links.unsubscribeUrl}`,
  ]
    .filter((line) => line !== '')
    .join('\n');
  return {
    to,
    subject,
    text,
    html: html(subject, [
      `<strong>${escapeHtml(`${LABELS[kind]}: ${incident.title}`)}</strong>`,
      `Status: ${escapeHtml(status)}${affected ? `<br>${escapeHtml(affected)}` : ''}`,
      ...(latest ? [escapeHtml(latest.body).replace(/\n/g, '<br>')] : []),
      `<a href="${escapeHtml(incidentUrl)}">Open the incident</a>`,
      `<small>You receive this because you subscribed to ${escapeHtml(links.pageTitle)}. <a href="${escapeHtml(links.unsubscribeUrl)}">Unsubscribe</a></small>`,
    ]),
    headers: {
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      // RFC 8058: the mail client may POST "List-Unsubscribe=One-Click" to the URL above
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/** The double opt-in email: nothing is sent to the address until this link is followed. */
export function confirmationEmail(to: string, confirmUrl: string, pageTitle: string, validHours: number): OutgoingEmail {
  const subject = oneLine(`[${pageTitle}] Confirm your subscription`);
  const text = [
    `Someone (hopefully you) asked to receive ${pageTitle} incident and maintenance emails at this address.`,
    `Confirm within ${validHours} hours: ${confirmUrl}`,
    'If it was not you, ignore this email: nothing more will be sent.',
  ].join('\n\n');
  return {
    to,
    subject,
    text,
    html: html(subject, [
      `Someone (hopefully you) asked to receive ${escapeHtml(pageTitle)} incident and maintenance emails at this address.`,
      `<a href="${escapeHtml(confirmUrl)}">Confirm your subscription</a> (valid for ${validHours} hours)`,
      'If it was not you, ignore this email: nothing more will be sent.',
    ]),
    headers: {},
  };
}

/** Sent instead of a confirmation when the address is already subscribed (the form says the same either way). */
export function alreadySubscribedEmail(to: string, unsubscribeUrl: string, pageTitle: string): OutgoingEmail {
  const subject = oneLine(`[${pageTitle}] You are already subscribed`);
  const text = `This address already receives ${pageTitle} emails. To change what you receive, unsubscribe and subscribe again: ${unsubscribeUrl}`;
  return {
    to,
    subject,
    text,
    html: html(subject, [
      `This address already receives ${escapeHtml(pageTitle)} emails.`,
      `To change what you receive, <a href="${escapeHtml(unsubscribeUrl)}">unsubscribe</a> and subscribe again.`,
    ]),
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
