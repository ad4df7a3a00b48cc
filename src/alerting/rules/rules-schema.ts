/**
 * Zod schemas for one set of rules (`alerts.defaults`, `alerts.groups.<g>`, `alerts.checks.<c>`).
 * Each rule accepts a short form (`latency: "p95 > 800ms over 10m"`, `down: true`,
 * `certificate: 14d`), a long form with options, or `false` to switch an inherited rule off.
 * Expressions are parsed here, so a bad token stops start-up with its path.
 * @module
 */
import { z } from 'zod';
import { countOfWindow } from '../../kernel/count-of-window.ts';
import { duration } from '../../kernel/duration.ts';
import { SEVERITIES, type AlertRule, type RuleCondition, type RuleKind, type RuleOptions, type Severity } from './alert-rule.ts';
import { labelsSchema } from '../routing/routes-schema.ts';
import { parseLatencyExpression, parseShareExpression, RuleExpressionError } from './rule-expression.ts';

/** `for:` is a count (`3`, `"3 of 5"`) or a duration (`2m`), told apart by the unit. */
const forOption = z.union([
  z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/).transform((text) => ({ ms: duration.parse(text.trim()) })),
  countOfWindow,
], { error: 'must be a count like 3, "3 of 5", or a duration like 2m' });

const optionFields = {
  for: forOption.optional(),
  sendOnResolved: z.boolean().optional(),
  repeatEvery: duration
    .refine((ms) => ms >= 60_000, 'must be at least 1m')
    .optional(),
  channels: z.array(z.string().min(1)).min(1).optional(),
  severity: z.enum(SEVERITIES).optional(),
  labels: labelsSchema.optional(),
  escalate: z
    .strictObject({ after: duration.refine((ms) => ms >= 60_000, 'must be at least 1m'), to: z.array(z.string().min(1)).min(1) })
    .optional(),
};

type OptionInput = { for?: { count: number; of: number } | { ms: number }; sendOnResolved?: boolean; repeatEvery?: number; channels?: string[]; severity?: Severity; labels?: Record<string, string>; escalate?: { after: number; to: string[] } };

function options(input: OptionInput): RuleOptions {
  return {
    periods: input.for && 'count' in input.for ? input.for : { count: 1, of: 1 },
    ...(input.for && 'ms' in input.for ? { forMs: input.for.ms } : {}),
    sendOnResolved: input.sendOnResolved ?? true,
    ...(input.repeatEvery !== undefined ? { repeatEveryMs: input.repeatEvery } : {}),
    ...(input.channels ? { channels: input.channels } : {}),
    ...(input.severity ? { severity: input.severity } : {}),
    ...(input.labels && Object.keys(input.labels).length ? { labels: input.labels } : {}),
    ...(input.escalate ? { escalate: { afterMs: input.escalate.after, to: input.escalate.to } } : {}),
  };
}

/**
 * Picks the branch by the value's shape (boolean, string/number, object) and reports that
 * branch's own issues. A plain union would collapse them into "Invalid input" and lose the
 * message that names the bad token.
 */
function byShape(branches: { boolean?: z.ZodType<Parsed>; scalar?: z.ZodType<Parsed>; object?: z.ZodType<Parsed> }, expected: string) {
  return z.unknown().transform((value, ctx): Parsed => {
    const branch =
      typeof value === 'boolean'
        ? branches.boolean
        : typeof value === 'string' || typeof value === 'number'
          ? branches.scalar
          : value !== null && typeof value === 'object' && !Array.isArray(value)
            ? branches.object
            : undefined;
    if (!branch) {
      ctx.addIssue({ code: 'custom', message: `must be ${expected}` });
      return z.NEVER;
    }
    const parsed = branch.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** `null` means "switched off at this level". */
type Parsed = AlertRule | null;

function flagRule(kind: 'down' | 'heartbeat') {
  return byShape(
    {
      boolean: z.boolean().transform((on): Parsed => (on ? { kind, ...options({}) } : null)),
      object: z.strictObject(optionFields).transform((o): Parsed => ({ kind, ...options(o) })),
    },
    'true, false or an object with rule options',
  );
}

function expressionRule(kind: 'latency' | 'errors' | 'throttles' | 'faults') {
  const build = (text: string, o: OptionInput, ctx: z.RefinementCtx, path: string[], minSamples?: number): Parsed => {
    try {
      const samples = minSamples === undefined ? {} : { minSamples };
      const condition: RuleCondition =
        kind === 'latency' ? { kind, expression: parseLatencyExpression(text), ...samples } : { kind, expression: parseShareExpression(text), ...samples };
      return { ...condition, ...options(o) } as AlertRule;
    } catch (error) {
      if (!(error instanceof RuleExpressionError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, path });
      return z.NEVER;
    }
  };
  return byShape(
    {
      boolean: z.literal(false, { error: 'only false (to switch the rule off) is allowed here' }).transform((): Parsed => null),
      scalar: z.string().transform((text, ctx) => build(text, {}, ctx, [])),
      object: z
        .strictObject({ when: z.string(), minSamples: z.number().int().min(1).max(100_000).optional(), ...optionFields })
        .transform(({ when, minSamples, ...o }, ctx) => build(when, o, ctx, ['when'], minSamples)),
    },
    'an expression, false, or an object with `when` and rule options',
  );
}

const within = duration.refine((ms) => ms > 0, 'must be a positive duration like 14d');
const certificateRule = byShape(
  {
    boolean: z.literal(false, { error: 'only false (to switch the rule off) is allowed here' }).transform((): Parsed => null),
    scalar: within.transform((withinMs): Parsed => ({ kind: 'certificate', withinMs, ...options({}) })),
    object: z.strictObject({ within, ...optionFields }).transform(({ within: withinMs, ...o }): Parsed => ({ kind: 'certificate', withinMs, ...options(o) })),
  },
  'a duration like 14d, false, or an object with `within` and rule options',
);

/** One set of rules, by kind. */
export const ruleSetSchema = z.strictObject({
  down: flagRule('down').optional(),
  heartbeat: flagRule('heartbeat').optional(),
  latency: expressionRule('latency').optional(),
  errors: expressionRule('errors').optional(),
  throttles: expressionRule('throttles').optional(),
  faults: expressionRule('faults').optional(),
  certificate: certificateRule.optional(),
});

/** Rules by kind; `null` switches off a rule inherited from a wider level. */
export type RuleSet = Partial<Record<RuleKind, AlertRule | null>>;
