/**
 * A text expectation written in config either as a plain substring (`expect: "SSH-2.0"`) or as a
 * regular expression object (`expect: { regex: "^SSH-2\\.0-" }`). Keeping the two forms apart
 * avoids guessing whether `a.b` was meant literally.
 * @module
 */
import { z } from 'zod';
import { linearRegex, linearRegexProblem } from '../../kernel/linear-regex.ts';

/**
 * A regular expression's source, compiled at validation time on the linear-time engine (every
 * kind's `regex` fields): a pattern it cannot run is refused with its reason.
 */
export const regexSchema = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const problem = linearRegexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: `must be a valid regular expression for the linear-time engine: ${problem}` });
  });

/** `{ regex, flags }`: the regex form of a text pattern. */
export const regexPatternSchema = z.strictObject({
  regex: regexSchema,
  flags: z.string().regex(/^[imsu]*$/, 'may only use the flags i, m, s, u').optional(),
});

/** Zod schema for a substring or `{ regex }`; the regex is compiled at validation time (linear-time engine). */
export const textPatternSchema = z.union([z.string().min(1, 'must not be empty'), regexPatternSchema]);

export type TextPattern = z.output<typeof textPatternSchema>;

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
