/**
 * Heartbeat push tokens: long random secrets that appear only in the job's push URL. The store
 * keeps their SHA-256 (hex), so a leaked database does not leak working URLs.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Characters a token may use: base64url, plus `.` and `~`, so it sits in a URL path unescaped. */
export const HEARTBEAT_TOKEN_PATTERN = /^[A-Za-z0-9._~-]+$/;
/** Bounds on configured tokens: short ones are guessable, long ones are abuse. */
export const HEARTBEAT_TOKEN_MIN_LENGTH = 16;
export const HEARTBEAT_TOKEN_MAX_LENGTH = 256;

/** Path (under the public base URL) a job requests to push a heartbeat. */
export const PUSH_PATH_PREFIX = '/api/v1/push/';

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function generateHeartbeatToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of a token, the form the store keeps and looks up. */
export function hashHeartbeatToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes (false when lengths differ). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Compare equal-length buffers either way so the time does not depend on where they differ.
  const same = timingSafeEqual(left.length === right.length ? left : right, right);
  return same && left.length === right.length;
}

/** The push path for a token, e.g. `/api/v1/push/Xy…`. */
export function pushPath(token: string): string {
  return `${PUSH_PATH_PREFIX}${token}`;
}
