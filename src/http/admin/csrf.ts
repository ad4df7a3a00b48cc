/**
 * Cross-site request forgery protection for the admin forms, in two independent layers:
 *
 * 1. A per-session token in every form. It is derived from the session id in the HttpOnly cookie
 *    (SHA-256 of a fixed label and the id), so a page on another site can neither read nor
 *    compute it, every instance of a cluster derives the same one without storing anything, and
 *    it dies with the session. It differs from the hash the store keeps, so a leaked row reveals
 *    no form token.
 * 2. The browser's own word on where the request came from: `Sec-Fetch-Site` must be
 *    `same-origin` and `Origin` must name this host when the browser sends them.
 *
 * The session cookie is also `SameSite=Strict`, so most browsers would not attach it to a
 * cross-site post in the first place; the layers above do not rely on that.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

/** Name of the hidden form field that carries the token. */
export const CSRF_FIELD = 'csrf';

/** The form token of the session whose cookie value is `sessionId`. */
export function csrfToken(sessionId: string): string {
  return createHash('sha256').update(`upstate admin form v1\0${sessionId}`, 'utf8').digest('base64url');
}

/** True when `presented` is the form token of `sessionId` (constant-time comparison). */
export function csrfTokenMatches(sessionId: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(sessionId), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Why the browser's headers say this request came from another site, or undefined when they do
 * not. Requests without the headers (old browsers, scripts) are judged by the token alone.
 * `publicUrl` (page.publicUrl) is this site too: a reverse proxy may pass its upstream's name as
 * `Host` while the browser's `Origin` names the public one.
 */
export function crossSiteReason(c: Context, publicUrl?: string): string | undefined {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return `Sec-Fetch-Site is ${site}`;
  const origin = c.req.header('origin');
  if (origin === undefined) return undefined;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return 'Origin is not a URL';
  }
  // the Host header, not c.req.url: behind a TLS-terminating proxy the scheme differs, the host does not
  const own = c.req.header('host') ?? new URL(c.req.url).host;
  const ours = [own, ...(publicUrl ? [new URL(publicUrl).host] : [])].map((h) => h.toLowerCase());
  return ours.includes(host.toLowerCase()) ? undefined : 'Origin names another site';
}
