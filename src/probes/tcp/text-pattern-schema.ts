/**
 * The schemas of text patterns (text-pattern.ts matches them at run time). Apart from that code
 * so a probe run does not load the config schemas.
 * @module
 */
import { z } from 'zod';
import { linearRegexProblem } from '../../kernel/linear-regex.ts';
import type { TextPattern } from './text-pattern.ts';

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
export const textPatternSchema = z.union([z.string().min(1, 'must not be empty'), regexPatternSchema]) satisfies z.ZodType<TextPattern>;
