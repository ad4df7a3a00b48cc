/**
 * Security headers on every response. The policy allows no inline script (the page's one script
 * is served from `/assets/live.js`), no framing (clickjacking), no MIME sniffing and no full
 * referrer to other sites. Inline `style` attributes stay allowed: the uptime bars and charts
 * position themselves with them, and styles cannot run code.
 *
 * Cross-Origin-Resource-Policy is left unset on purpose: badges and the Statuspage v2 API are
 * embedded by other sites, which `same-origin` would break.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The Content-Security-Policy every page is served with. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Middleware adding the headers; route handlers and the response cache need not know of them. */
export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin-when-cross-origin',
  });
  return async (c, next) => {
    await headers(c, next);
    c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  };
}
