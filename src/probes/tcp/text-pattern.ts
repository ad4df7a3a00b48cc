/**
 * A text expectation written in config either as a plain substring (`expect: "SSH-2.0"`) or as a
 * regular expression object (`expect: { regex: "^SSH-2\\.0-" }`). Keeping the two forms apart
 * avoids guessing whether `a.b` was meant literally.
 * @module
 */
import { linearRegex } from '../../kernel/linear-regex.ts';

/** A substring, or `{ regex, flags }` (text-pattern-schema.ts validates it). */
export type TextPattern = string | { regex: string; flags?: string };

/** True when `text` contains the substring or matches the regex. */
export function matchesPattern(pattern: TextPattern, text: string): boolean {
  if (typeof pattern === 'string') return text.includes(pattern);
  return linearRegex(pattern.regex, pattern.flags).test(text);
}

/** Display form for messages: `"abc"` or `/abc/i`. */
export function describePattern(pattern: TextPattern): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern) : `/${pattern.regex}/${pattern.flags ?? ''}`;
}

/** Shortens peer-supplied text for a message, escaping control characters. */
export function excerpt(text: string, max = 80): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(clipped);
}
