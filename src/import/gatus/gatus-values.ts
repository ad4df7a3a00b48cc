/**
 * Gatus value formats: Go durations (`1h30m`), `$VAR` / `${VAR}` environment references (Gatus
 * expands them with Go's os.ExpandEnv), which stay environment references in Upstate.
 * @module
 */
import type { SecretBook } from '../secret-book.ts';

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration (`300ms`, `1h30m`, `48h`), or undefined. */
export function parseGoDuration(text: unknown): number | undefined {
  if (typeof text === 'number') return text * 1000;
  if (typeof text !== 'string' || !/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text.trim())) return undefined;
  let total = 0;
  for (const [, n, unit] of text.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * GO_UNITS[unit];
  return Math.round(total);
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** True when the text refers to an environment variable. */
export function hasEnvRef(text: string): boolean {
  ENV_REF.lastIndex = 0;
  return ENV_REF.test(text);
}

/** Keeps the source's environment references as Upstate references (listed as variables to set). */
export function keepEnvRefs(text: string, secrets: SecretBook): string {
  return text.replace(ENV_REF, (_, braced: string | undefined, bare: string | undefined) => secrets.external((braced ?? bare)!));
}

/** A secret: kept as the source's env reference when it is one, else moved into a new variable. */
export function secretValue(text: string, hint: readonly string[], secrets: SecretBook): string {
  return hasEnvRef(text) ? keepEnvRefs(text, secrets) : secrets.ref(hint, text);
}
