/**
 * Reads a failure class from another tool's error text (Kuma heartbeat `msg`, Gatus `errors`), so
 * imported failures look like Upstate's own on the page: "timeout", "refused", "dns" ….
 * @module
 */
import type { FailureClass } from '../domain/result.ts';

const RULES: [RegExp, FailureClass][] = [
  [/timeout|timed out|ETIMEDOUT|deadline exceeded/i, 'timeout'],
  [/ECONNREFUSED|connection refused|EHOSTUNREACH|ENETUNREACH|no route to host/i, 'refused'],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo|no such host|NXDOMAIN|SERVFAIL|dns/i, 'dns'],
  [/certificate|CERT_|SSL|TLS|x509|self[- ]signed/i, 'tls'],
  [/ECONNRESET|socket hang up|EPIPE|connection reset|EOF/i, 'reset'],
  [/status code|status:? \d{3}|\b[45]\d\d\b/i, 'status'],
  [/keyword|json|body|condition|expected/i, 'body'],
];

/** The class a failure message most likely describes; `protocol` when nothing fits. */
export function classifyMessage(message: string): FailureClass {
  for (const [pattern, cls] of RULES) if (pattern.test(message)) return cls;
  return 'protocol';
}
