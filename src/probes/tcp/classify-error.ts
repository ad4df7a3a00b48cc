/**
 * The one place where Node, OpenSSL and undici error codes become failure classes. Every probe
 * that opens sockets calls `classifyError` (or `classifyRunError` in its catch) so the same fault reads the same
 * everywhere: a refused port is `refused` whether an HTTP or a TCP check hit it.
 * @module
 */
import type { Failure, FailureClass } from '../../domain/result.ts';
import { ProbeFailure } from './probe-failure.ts';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL', 'EAI_ADDRFAMILY']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ERR_STREAM_PREMATURE_CLOSE']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR', 'UND_ERR_ABORTED']);
/** This host ran out of something: file descriptors, socket buffers, memory. Not the target's doing. */
const LOCAL_CODES = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);
const PROTOCOL_CODES = new Set(['UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL', 'ERR_INVALID_HTTP_RESPONSE', 'HPE_INVALID_CONSTANT']);

/** OpenSSL verification codes (as Node reports them) and Node's own TLS codes. */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('CERT_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('UNABLE_TO_') ||
    code.startsWith('ERR_OSSL_') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'HOSTNAME_MISMATCH' ||
    code === 'EPROTO'
  );
}

/** Extracts the most specific error code, looking through AggregateError (happy eyeballs) and causes. */
export function errorCode(err: unknown): string | undefined {
  for (let current: unknown = err, depth = 0; current && depth < 5; depth++) {
    const record = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof record.code === 'string' && record.code) return record.code;
    if (Array.isArray(record.errors) && record.errors.length) current = record.errors[0];
    else current = record.cause;
  }
  return undefined;
}

/** Maps a code to its class; undefined when the code says nothing we recognise. */
export function classOfCode(code: string | undefined): FailureClass | undefined {
  if (!code) return undefined;
  if (LOCAL_CODES.has(code)) return 'local';
  if (DNS_CODES.has(code)) return 'dns';
  if (REFUSED_CODES.has(code)) return 'refused';
  if (RESET_CODES.has(code)) return 'reset';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (code.startsWith('HPE_') || PROTOCOL_CODES.has(code)) return 'protocol';
  if (isTlsCode(code)) return 'tls';
  return undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return messageOf(err.errors[0]);
  const text = err instanceof Error ? err.message : String(err);
  // OpenSSL's "8053…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:file:line:"
  const openssl = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(text);
  return (openssl ? openssl[1] : text).trim();
}

/** Where the failure happened, for the message. */
export interface FailureWhere {
  /** Display string of the target (`host:port` or a URL without credentials). */
  target: string;
  /** Host name alone, for DNS messages; defaults to `target`. */
  host?: string;
  /** What the probe was doing, e.g. "reading the body". */
  during?: string;
  /** The address family the check insisted on, if any. */
  family?: 4 | 6;
}

/**
 * Translates any error thrown while probing into a failure. Unknown errors fall back to
 * `protocol`: the target did something we did not expect, which is still data about the target
 * rather than a bug in the probe.
 */
export function classifyError(err: unknown, where: FailureWhere | string): Failure {
  if (err instanceof ProbeFailure) return err.toFailure();
  const { target, host = target, during, family } = typeof where === 'string' ? { target: where } : where;
  const code = errorCode(err);
  const failureClass = classOfCode(code) ?? 'protocol';
  const detail = messageOf(err);
  const cause = code && !detail.includes(code) ? `${detail} (${code})` : detail;
  const when = during ? ` while ${during}` : '';
  switch (failureClass) {
    case 'dns':
      return { class: 'dns', message: `could not resolve ${host}${family ? ` to an IPv${family} address` : ''} (${code})` };
    case 'refused':
      return { class: 'refused', message: `connection to ${target} refused or unreachable (${code})` };
    case 'reset':
      return { class: 'reset', message: `connection to ${target} was closed or reset by the peer${when}: ${cause}` };
    case 'timeout':
      return { class: 'timeout', message: `no complete answer from ${target} in time${when} (${code})` };
    case 'tls':
      return { class: 'tls', message: `TLS with ${target} failed: ${cause}` };
    case 'local':
      return { class: 'local', message: `this host is out of resources (${code}) while checking ${target}: not a verdict on the target` };
    default:
      return { class: 'protocol', message: `unexpected reply from ${target}${when}: ${cause}` };
  }
}

/**
 * `classifyError` for an error caught by a probe's `run`. Once the check's deadline has passed, a
 * raw error is the abort tearing the socket down, not the target's doing, so it reads as a
 * timeout; a `ProbeFailure` already names what timed out and is kept.
 */
export function classifyRunError(err: unknown, deadline: { signal: AbortSignal; timeoutMs: number }, where: FailureWhere, doing = `talking to ${where.target}`): Failure {
  if (deadline.signal.aborted && !(err instanceof ProbeFailure)) return { class: 'timeout', message: `timed out after ${deadline.timeoutMs} ms ${doing}` };
  return classifyError(err, where);
}
