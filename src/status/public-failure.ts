/**
 * What anonymous visitors may learn about a failure: its class in plain words ("Timed out",
 * "HTTP 503", "DNS: name does not exist", "TLS certificate expired"). A probe's own message names
 * the target, often with its query string, host, port or an echoed header, so it stays with
 * admins and alerts. The words are chosen from fixed lists, never copied from the message.
 * @module
 */
import type { Failure, FailureClass } from '../domain/result.ts';

/** Refinements of a class, recognised by markers the probes put in their messages. First match wins. */
const REFINED: Partial<Record<FailureClass, readonly (readonly [RegExp, string])[]>> = {
  dns: [
    [/NXDOMAIN|ENOTFOUND|name does not exist|NAME_NOT_RESOLVED/i, 'DNS: name does not exist'],
    [/SERVFAIL|server failure/i, 'DNS: server failure'],
    [/REFUSED/, 'DNS: query refused'],
    [/ETIMEOUT|unreachable/i, 'DNS: no answer from the resolver'],
  ],
  tls: [
    [/expired|CERT_HAS_EXPIRED/i, 'TLS certificate expired'],
    [/expires in/i, 'TLS certificate expires soon'],
    [/HOSTNAME_MISMATCH|does not match the host|ERR_TLS_CERT_ALTNAME_INVALID/i, 'TLS certificate does not match the host'],
    [/self[- ]signed|not trusted|UNABLE_TO_VERIFY|unable to get (?:local )?issuer/i, 'TLS certificate not trusted'],
    [/NOT_YET_VALID|not yet valid/i, 'TLS certificate not yet valid'],
  ],
  body: [
    [/^header /i, 'Unexpected response header'],
    [/not valid JSON/i, 'Response is not valid JSON'],
    [/no \S+ records/i, 'DNS: no records of the expected type'],
  ],
};

/** The reason of each class when no refinement applies. */
const CLASS_REASON: Record<FailureClass, string> = {
  dns: 'DNS lookup failed',
  refused: 'Connection refused',
  timeout: 'Timed out',
  tls: 'TLS handshake failed',
  reset: 'Connection reset',
  status: 'Unexpected status',
  body: 'Unexpected response content',
  protocol: 'Unexpected reply',
  auth: 'Authentication failed',
  // never published (a local resource error is the monitor's, not the target's), named all the same
  local: 'Monitor resource problem',
};

/** The class-level reason of a failure; `statusCode` (HTTP) makes a status failure "HTTP 503". */
export function publicReason(failure: Pick<Failure, 'class' | 'message'>, statusCode?: number): string {
  if (failure.class === 'status') {
    const code = statusCode ?? Number(/\bstatus (\d{3})\b/.exec(failure.message)?.[1]);
    if (Number.isInteger(code) && code >= 100 && code <= 599) return `HTTP ${code}`;
  }
  for (const [marker, reason] of REFINED[failure.class] ?? []) {
    if (marker.test(failure.message)) return reason;
  }
  return CLASS_REASON[failure.class] ?? 'Check failed';
}

/** `failure` with its message replaced by the class-level reason (undefined stays undefined). */
export function publicFailure<F extends Failure>(failure: F | undefined, statusCode?: number): (Omit<F, 'message'> & { message: string }) | undefined {
  return failure && { ...failure, message: publicReason(failure, statusCode) };
}

/**
 * The public form of a check's target, for checks that opt in with `showTarget`: a URL loses its
 * credentials, query string and fragment; anything else (host:port) is shown as it is.
 */
export function publicTarget(target: string): string {
  try {
    const url = new URL(target);
    if (!url.host) return target;
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return target;
  }
}
