/**
 * Maps what Chromium and Playwright report into failure classes: network errors arrive as
 * `net::ERR_…` codes inside the message, timeouts as Playwright's TimeoutError.
 * @module
 */
import type { Failure } from '../../domain/result.ts';

/** The failure for an error thrown by a step (`label` names the step). */
export function browserFailure(err: unknown, label: string): Failure {
  const message = String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300);
  const net = /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
  const say = (cls: Failure['class'], text: string): Failure => ({ class: cls, message: `${label}: ${text}` });
  if (net) {
    if (net === 'ERR_NAME_NOT_RESOLVED') return say('dns', `could not resolve the host (${net})`);
    if (/REFUSED|UNREACHABLE|ADDRESS_INVALID/.test(net)) return say('refused', `connection refused or unreachable (${net})`);
    if (/CERT|SSL/.test(net)) return say('tls', `TLS failed (${net})`);
    if (/TIMED_OUT/.test(net)) return say('timeout', `timed out (${net})`);
    if (/RESET|CLOSED|ABORTED|EMPTY_RESPONSE/.test(net)) return say('reset', `the connection was closed or reset (${net})`);
    return say('protocol', `the page could not be loaded (${net})`);
  }
  if ((err as Error)?.name === 'TimeoutError' || /Timeout \d+ms exceeded/.test(message)) return say('timeout', message);
  return say('protocol', message);
}
