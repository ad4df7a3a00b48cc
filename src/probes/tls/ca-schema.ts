/**
 * The schema of the `ca` option (ca-option.ts loads it at run time). Apart from that code so a
 * probe run does not load the config schemas.
 * @module
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { PEM_MARKER, type CaOption } from './ca-option.ts';

const oneCa = z
  .string()
  .min(1)
  .refine((value) => value.includes(PEM_MARKER) || existsSync(value), 'must be PEM text or the path of an existing PEM file');

/** One CA or a list; each inline PEM or a file path. */
export const caSchema = z.union([oneCa, z.array(oneCa).min(1)]) satisfies z.ZodType<CaOption>;
