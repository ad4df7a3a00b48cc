/**
 * "N of M" counts in config: `3` (three in a row) or `"3 of 5"` (three among the last five).
 * Used by check confirmation (`downAfter`) and alert evaluation periods (`for`).
 * @module
 */
import { z } from 'zod';

export interface CountOfWindow {
  count: number;
  of: number;
}

export const countOfWindow = z.union([
  z.number().int().min(1).max(100).transform((count): CountOfWindow => ({ count, of: count })),
  z.string().transform((text, ctx): CountOfWindow => {
    const match = /^\s*(\d+)\s+of\s+(\d+)\s*$/.exec(text);
    const count = Number(match?.[1]);
    const of = Number(match?.[2]);
    if (!match || count < 1 || of < count || of > 100) {
      ctx.addIssue({ code: 'custom', message: `must be a count like 3 or "3 of 5" with count ≤ of ≤ 100 (got ${JSON.stringify(text)})` });
      return z.NEVER;
    }
    return { count, of };
  }),
]);
