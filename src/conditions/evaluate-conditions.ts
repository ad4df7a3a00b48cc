/**
 * Applies a check's compiled conditions to a probe outcome: the step between probe and result
 * that turns "the server answered" into "the server answered what we expect".
 * @module
 */
import type { ProbeOutcome } from '../domain/result.ts';
import type { CompiledCondition, ConditionResult } from './compile-condition.ts';
import { createOutcomeView } from './outcome-view.ts';

/**
 * Evaluates every condition (all must pass). Returns the same outcome object when they do;
 * otherwise a copy with `ok: false`, a failure naming the first failing condition and its actual
 * value, and `details.failedConditions` listing every failing condition's text.
 *
 * When the probe itself already failed (refused, timeout, …) its failure is kept: it is the root
 * cause, and conditions on a missing answer fail only as a consequence of it.
 */
export function evaluateConditions(conditions: readonly CompiledCondition[], outcome: ProbeOutcome): ProbeOutcome {
  if (!conditions.length) return outcome;
  const view = createOutcomeView(outcome);
  const failed: { condition: CompiledCondition; result: ConditionResult }[] = [];
  for (const condition of conditions) {
    const result = condition.evaluate(outcome, view);
    if (!result.passed) failed.push({ condition, result });
  }
  if (!failed.length) return outcome;
  const [first] = failed;
  const failure = outcome.failure ?? {
    class: first.condition.variable === 'status' ? ('status' as const) : ('body' as const),
    message: `condition failed: ${first.result.text}${first.result.actual === undefined ? '' : ` (actual: ${first.result.actual})`}`,
  };
  return {
    ...outcome,
    ok: false,
    failure,
    details: { ...outcome.details, failedConditions: failed.map(({ result }) => result.text) },
  };
}
