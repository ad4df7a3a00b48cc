/**
 * The `expectStatus` schema (status-ranges.ts matches the ranges at run time). Apart from that
 * code so a probe run does not load the config schemas.
 * @module
 */
import { z } from 'zod';
import type { StatusRange } from './status-ranges.ts';

function parseOne(value: string | number): StatusRange | undefined {
  const text = String(value).trim();
  let match = /^([1-5])xx$/i.exec(text);
  if (match) return [Number(match[1]) * 100, Number(match[1]) * 100 + 99];
  match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(text);
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = match[2] ? Number(match[2]) : low;
  return low >= 100 && high <= 599 && low <= high ? [low, high] : undefined;
}

const MESSAGE = 'must be a status code (200), a range ("200-299") or a class ("2xx") between 100 and 599, or a list of them';

/** Zod schema: one spec or a non-empty list; output is always a list of ranges. */
export const expectStatusSchema = z
  .union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))], { error: MESSAGE })
  .transform((value, ctx): StatusRange[] => {
    const specs = Array.isArray(value) ? value : [value];
    const ranges = specs.map(parseOne);
    const bad = specs.filter((_, index) => !ranges[index]);
    if (!specs.length || bad.length) {
      ctx.addIssue({ code: 'custom', message: `${MESSAGE} (got ${bad.map((spec) => JSON.stringify(spec)).join(', ') || 'an empty list'})` });
      return z.NEVER;
    }
    return ranges as StatusRange[];
  });
