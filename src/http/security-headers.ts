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

/** Middleware adding the headers; route handlers and the response cache need not know of them. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    // sent as `default-src 'self'; script-src 'self'; …` (written inline, so a mistyped directive fails the type check)
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin-when-cross-origin',
  });
}
