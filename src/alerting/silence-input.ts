/**
 * Creating a silence from user input, shared by `POST /api/v1/silences` and `upstate silence add`:
 * matchers (at least one of check, group, rule, severity, each checked against the config), a
 * duration (`for: 2h`) or an end time, and a comment saying why.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Silence } from '../domain/alert.ts';
import { duration } from '../kernel/duration.ts';
import { SEVERITIES } from './rules/alert-rule.ts';

/** The longest silence: longer ones are forgotten mutes, not silences. */
const MAX_SILENCE_MS = 90 * 86_400_000;
/** The rules a silence may name. */
export const SILENCE_RULES = ['down', 'heartbeat', 'latency', 'errors', 'throttles', 'faults', 'certificate', 'channel'] as const;

export const silenceInputSchema = z
  .strictObject({
    matchers: z
      .strictObject({
        check: z.string().trim().min(1).max(200).optional(),
        group: z.string().trim().min(1).max(200).optional(),
        rule: z.enum(SILENCE_RULES).optional(),
        severity: z.enum(SEVERITIES).optional(),
      })
      .refine((m) => Object.values(m).some((v) => v !== undefined), 'set at least one of check, group, rule, severity'),
    /** How long from `startsAt` (default now), e.g. `2h`; or give `endsAt` (ms since the epoch). */
    for: duration.refine((ms) => ms > 0 && ms <= MAX_SILENCE_MS, 'must be between 1ms and 90d').optional(),
    startsAt: z.number().int().nonnegative().optional(),
    endsAt: z.number().int().positive().optional(),
    comment: z.string().trim().min(1, 'say why (it shows in the list)').max(1_000),
  })
  .refine((input) => (input.for === undefined) !== (input.endsAt === undefined), { message: 'give either for (a duration) or endsAt', path: ['for'] });

export type SilenceInput = z.output<typeof silenceInputSchema>;

/** Names the config knows, to refuse a silence that could never match. */
export interface KnownNames {
  checks: Pick<ReadonlySet<string>, 'has'>;
  groups: ReadonlySet<string>;
}

/** What is wrong with a silence beyond its shape, and which field says so. */
export interface SilenceProblem {
  path: 'matchers.check' | 'matchers.group' | 'endsAt';
  message: string;
}

/** A problem with `input` beyond its shape (unknown check or group, end before start), or undefined. */
export function silenceInputProblem(input: SilenceInput, known: KnownNames, now: number): SilenceProblem | undefined {
  const { check, group } = input.matchers;
  if (check !== undefined && !known.checks.has(check)) return { path: 'matchers.check', message: `no check is named ${JSON.stringify(check)}` };
  if (group !== undefined && !known.groups.has(group)) return { path: 'matchers.group', message: `no group is named ${JSON.stringify(group)}` };
  const startsAt = input.startsAt ?? now;
  const endsAt = input.endsAt ?? startsAt + input.for!;
  if (endsAt <= Math.max(startsAt, now)) return { path: 'endsAt', message: 'must be in the future and after startsAt' };
  if (endsAt - startsAt > MAX_SILENCE_MS) return { path: 'endsAt', message: 'a silence lasts at most 90d' };
  return undefined;
}

/** `path: message`, as the API and the CLI report a problem. */
export const problemText = (problem: SilenceProblem): string => `${problem.path}: ${problem.message}`;

/** The silence to store for valid `input`. */
export function buildSilence(input: SilenceInput, now: number, createdBy: string): Silence {
  const startsAt = input.startsAt ?? now;
  return {
    id: `sil_${randomBytes(8).toString('hex')}`,
    matchers: Object.fromEntries(Object.entries(input.matchers).filter(([, v]) => v !== undefined)),
    startsAt,
    endsAt: input.endsAt ?? startsAt + input.for!,
    comment: input.comment,
    createdBy,
    createdAt: now,
  };
}
