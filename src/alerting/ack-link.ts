/**
 * Signed acknowledge links (`alerts.ackLinks`): a message carries
 * `<publicUrl>/alerts/ack?key=<alert key>&exp=<unix seconds>&sig=<hex>`, where `sig` is the
 * HMAC-SHA256, keyed with the configured secret, of `ack.<key>.<exp>`. Following the link shows a
 * confirm page (GET changes nothing, so link previews and mail scanners cannot acknowledge); its
 * button POSTs the same parameters, which acknowledges the alert. The link expires at `exp`.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `alerts.ackLinks` as validated (ack-links-config.ts has the schema). */
export interface AckLinksConfig {
  /** HMAC key, shared by every instance. */
  secret: string;
  /** How long a link works after its message was written, in ms. */
  ttl: number;
}

function signature(secret: string, key: string, exp: number): string {
  return createHmac('sha256', secret).update(`ack.${key}.${exp}`, 'utf8').digest('hex');
}

/** The acknowledge link of alert `key`, valid until `now + ttl`. */
export function ackLink(baseUrl: string, links: AckLinksConfig, key: string, now: number): string {
  const exp = Math.floor((now + links.ttl) / 1000);
  const query = new URLSearchParams({ key, exp: String(exp), sig: signature(links.secret, key, exp) });
  return `${baseUrl.replace(/\/$/, '')}/alerts/ack?${query}`;
}

export type AckLinkCheck = { ok: true; key: string } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a link's parameters at `now`: the signature first (constant time), then the expiry. */
export function verifyAckLink(secret: string, params: { key?: string; exp?: string; sig?: string }, now: number): AckLinkCheck {
  const { key, exp, sig } = params;
  if (!key || !exp || !/^\d{1,12}$/.test(exp) || !sig || !/^[0-9a-f]{64}$/.test(sig)) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(signature(secret, key, Number(exp)), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return { ok: false, reason: 'invalid' };
  if (now >= Number(exp) * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, key };
}
