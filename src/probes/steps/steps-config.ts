/**
 * The `steps` check's config: a list of http requests (every field of the `http` kind) with a
 * `name` and `extract:` rules. Placeholders must name a variable an earlier step extracts, so a
 * typo is a config error at load, not a failing check at 3 a.m.
 * @module
 */
import { z } from 'zod';
import { httpConfigSchema } from '../http/http-config.ts';
import { extractRuleSchema, placeholdersIn } from './step-variables.ts';

/** Most steps a check may have: a flow, not a test suite. */
const MAX_STEPS = 20;

const variableName = z.string().regex(/^[A-Za-z_][\w-]*$/, 'must be a variable name like token or order_id');

const stepSchema = httpConfigSchema.extend({
  /** Named in failures ("step 2 \"orders\": status 500"); defaults to "step N". */
  name: z.string().trim().min(1).max(100).optional(),
  /** Variable name → where to read it in this step's response. */
  extract: z.record(variableName, extractRuleSchema).optional(),
});

export const stepsConfigSchema = z
  .array(stepSchema)
  .min(1, 'needs at least one step')
  .max(MAX_STEPS, `may have at most ${MAX_STEPS} steps`)
  .superRefine((steps, ctx) => {
    const known = new Set<string>();
    const names = new Set<string>();
    steps.forEach((step, index) => {
      if (step.name !== undefined) {
        if (names.has(step.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate step name "${step.name}"` });
        names.add(step.name);
      }
      const { extract: _extract, name: _name, ...request } = step;
      for (const used of placeholdersIn(request)) {
        if (!known.has(used)) {
          ctx.addIssue({ code: 'custom', path: [index], message: `uses {{${used}}}, which no earlier step extracts` });
        }
      }
      for (const name of Object.keys(step.extract ?? {})) known.add(name);
    });
  });

export type StepConfig = z.output<typeof stepSchema>;
export type StepsConfig = z.output<typeof stepsConfigSchema>;

/** "step 2 \"orders\"" or "step 2". */
export function stepLabel(step: StepConfig, index: number): string {
  return step.name ? `step ${index + 1} "${step.name}"` : `step ${index + 1}`;
}
