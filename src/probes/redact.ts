/**
 * Keeps credentials out of everything a probe returns. Passwords, tokens and form values reach a
 * check's config through `${ENV}` substitution, so they are plain strings by the time a probe
 * runs; a driver or page may echo them back (a connection string in an error, a server repeating
 * a command). Every failure message of the database, grpc, steps and browser kinds passes through
 * `redact` first.
 * @module
 */
import type { Failure } from '../domain/result.ts';


/** Replaces each secret (of 3+ characters; shorter ones would mangle ordinary words) with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

/** `failure` with every secret in its message replaced (undefined stays undefined). */
export function redactFailure(failure: Failure | undefined, secrets: readonly (string | undefined)[]): Failure | undefined {
  return failure && { class: failure.class, message: redact(failure.message, secrets) };
}
