/**
 * Durations in config: `250ms`, `30s`, `5m`, `2h`, `14d`, or a bare number of seconds.
 * @module
 */
import { z } from 'zod';
import { parseDuration } from './parse-duration.ts';

/** Zod schema for a duration field; the parsed value is milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be a duration like 30s, 5m or 250ms (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return ms;
});
