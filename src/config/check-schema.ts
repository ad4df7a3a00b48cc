/**
 * The schema of one entry under `checks:`, derived from the probe registry: common fields plus
 * exactly one key naming the probe kind (`http:`, `tcp:`, …) whose value that probe validates.
 * @module
 */
import { z } from 'zod';
import { countOfWindow } from '../kernel/count-of-window.ts';
import { duration } from '../kernel/duration.ts';
import type { Probe } from '../probes/probe.ts';

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Fields every check has, whatever its kind. Defaults apply in `normalizeCheck`. */
const commonCheckFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  group: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  degradedAfter: duration.optional(),
  downAfter: countOfWindow.optional(),
  upAfter: z.number().int().min(1).max(100).optional(),
  conditions: z.array(z.string().min(1)).optional(),
  regions: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a region name like eu-west')).min(1).optional(),
  quorum: z.number().int().min(1).optional(),
  /** Opt in to showing the target (scheme, host and path) on the public page and APIs. */
  showTarget: z.boolean().optional(),
  /** Checks or groups this check depends on: while one is down, this check's alerts do not page. */
  dependsOn: z.array(z.string().trim().min(1).max(200)).min(1).optional(),
};

/** Defaults from the top-level `defaults:` section, applied to every check that omits them. */
export const checkDefaultsSchema = z
  .strictObject({
    interval: duration.optional(),
    timeout: duration.optional(),
    degradedAfter: duration.optional(),
    downAfter: countOfWindow.optional(),
    upAfter: z.number().int().min(1).max(100).optional(),
  })
  .optional();

export type CheckDefaults = z.output<typeof checkDefaultsSchema>;

/** Builds the schema of a check entry from the probe registry. */
export function buildCheckSchema(probes: Record<string, Probe<any>>) {
  const kindFields: Record<string, z.ZodOptional<z.ZodType>> = {};
  for (const [kind, probe] of Object.entries(probes)) kindFields[kind] = probe.schema.optional();
  const kinds = Object.keys(probes);
  return z.strictObject({ ...commonCheckFields, ...kindFields }).superRefine((check, ctx) => {
    const present = kinds.filter((kind) => (check as Record<string, unknown>)[kind] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `needs exactly one probe kind: ${kinds.join(', ')}`
            : `has several probe kinds (${present.join(', ')}); use one per check`,
      });
    }
  });
}

export { DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS };
