/**
 * Keeps credentials out of everything a probe returns. Passwords reach a check's config through
 * `${ENV}` substitution, so they are plain strings by the time a probe runs; a driver may echo
 * them back (a connection string in an error, a server repeating a command). Every failure
 * message and detail string of the database kinds passes through `redact` first.
 * @module
 */

/** Replaces each secret (of 3+ characters; shorter ones would mangle ordinary words) with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
