/**
 * A read-only view of one probe outcome that conditions share, so that the body is parsed as
 * JSON at most once and header names are folded to lower case once, however many conditions
 * a check has.
 * @module
 */
import type { ProbeOutcome } from '../domain/result.ts';

type JsonLookup = { ok: true; value: unknown } | { ok: false; why: string };

export interface OutcomeView {
  readonly outcome: ProbeOutcome;
  /** The body parsed as JSON (memoised). */
  json(): JsonLookup;
  /** A response header by case-insensitive name. */
  header(name: string): string | undefined;
}

/** Wraps an outcome; cheap to create, work happens on first use. */
export function createOutcomeView(outcome: ProbeOutcome): OutcomeView {
  let json: JsonLookup | undefined;
  let headers: Map<string, string> | undefined;
  return {
    outcome,
    json() {
      if (json) return json;
      if (outcome.body === undefined) json = { ok: false, why: 'no body' };
      else {
        try {
          json = { ok: true, value: JSON.parse(outcome.body) };
        } catch {
          json = { ok: false, why: 'body is not JSON' };
        }
      }
      return json;
    },
    header(name) {
      if (!headers) {
        headers = new Map();
        for (const [key, value] of Object.entries(outcome.headers ?? {})) headers.set(key.toLowerCase(), value);
      }
      return headers.get(name);
    },
  };
}
