/**
 * Subscriber ids and tokens. The id is derived from the normalised address, so an address has
 * one record on every backend and a repeated sign-up finds it by key. Tokens are 32 random
 * bytes; confirmation tokens are stored only as their SHA-256 and compared in constant time.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Longest address accepted (RFC 5321's path limit). */
const MAX_ADDRESS = 254;
/** One `@`, no spaces or angle brackets or commas (which would add recipients), a dot in the domain. */
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** The address trimmed and lower-cased, or undefined when it is not a plausible address. */
export function normalizeAddress(input: string): string | undefined {
  const address = input.trim().toLowerCase();
  return address.length <= MAX_ADDRESS && ADDRESS.test(address) ? address : undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The subscriber id of a normalised address (32 hex characters). */
export function subscriberId(address: string): string {
  return sha256(`upstate-subscriber\n${address}`).slice(0, 32);
}

/** A new random token, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a confirmation token. */
export function hashToken(token: string): string {
  return sha256(token);
}

/** Constant-time comparison of two strings (false when either is missing). */
export function sameSecret(expected: string | undefined, presented: string | undefined): boolean {
  if (expected === undefined || presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
