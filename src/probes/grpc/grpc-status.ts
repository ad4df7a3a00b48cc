/**
 * Translates a failed gRPC health call into a failure class. grpc-js reports transport trouble
 * as `UNAVAILABLE` with the socket error only inside its `details` text, so the text is read
 * for the codes `classifyError` knows (ECONNREFUSED, ENOTFOUND, TLS errors).
 * @module
 */
import type { Failure } from '../../domain/result.ts';

/** gRPC status codes this module distinguishes (from the gRPC spec). */
const CODE_NAMES: Record<number, string> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED', 12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED',
};

/** A grpc-js call error, as far as we read it. */
export interface GrpcCallError {
  code?: number;
  details?: string;
  message?: string;
}

/** The failure for a call that ended with `err`; `aborted` when the check's signal fired. */
export function grpcFailure(err: GrpcCallError, target: string, timeoutMs: number, aborted: boolean): Failure {
  const code = err.code ?? 2;
  const name = CODE_NAMES[code] ?? `code ${code}`;
  // grpc-js appends its resolver's notes ("Resolution note: …"), which say nothing about the target
  const details = (err.details || err.message || '').replace(/\.?\s*Resolution note:[\s\S]*$/, '').slice(0, 300);
  if (aborted || code === 4) return { class: 'timeout', message: `timed out after ${timeoutMs} ms waiting for the health check from ${target}` };
  if (code === 16 || code === 7) return { class: 'auth', message: `${target} refused the call: ${name}: ${details}` };
  if (code === 12) return { class: 'status', message: `${target} does not implement grpc.health.v1.Health (UNIMPLEMENTED)` };
  if (code === 5) return { class: 'status', message: `${target} does not know the service: ${details} (NOT_FOUND)` };
  if (code === 14) {
    if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(details)) return { class: 'refused', message: `connection to ${target} refused or unreachable: ${details}` };
    if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(details)) return { class: 'dns', message: `could not resolve ${target}: ${details}` };
    if (/certificate|CERT_|SSL|TLS|self[- ]signed|handshake|altname/i.test(details)) return { class: 'tls', message: `TLS with ${target} failed: ${details}` };
    if (/ECONNRESET|socket hang up|closed|GOAWAY/i.test(details)) return { class: 'reset', message: `connection to ${target} was closed or reset: ${details}` };
    return { class: 'protocol', message: `unexpected reply from ${target}: ${details}` };
  }
  if (code === 13 && /protocol|frame|HTTP|Received/i.test(details)) return { class: 'protocol', message: `unexpected reply from ${target}: ${details}` };
  return { class: 'status', message: `health check on ${target} failed: ${name}: ${details}` };
}
