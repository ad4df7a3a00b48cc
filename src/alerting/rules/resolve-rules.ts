/**
 * Which rules apply to a check: built-in defaults (down + heartbeat) ← `alerts.defaults` ←
 * `alerts.groups.<group>` ← `alerts.checks.<name>`, the most specific level replacing a rule of
 * the same kind entirely (and `false` switching it off).
 * @module
 */
import type { Check } from '../../domain/check.ts';
import type { AlertsConfig } from '../alerts-config.ts';
import type { AlertRule } from './alert-rule.ts';
import type { RuleSet } from './rules-schema.ts';

/** Push checks report "missed heartbeat" through the `heartbeat` rule rather than `down`. */
const PUSH_KIND = 'heartbeat';

const BUILT_IN: RuleSet = {
  down: { kind: 'down', periods: { count: 1, of: 1 }, sendOnResolved: true },
  heartbeat: { kind: 'heartbeat', periods: { count: 1, of: 1 }, sendOnResolved: true },
};

/** Whether a rule kind makes sense for a check's kind. */
function ruleApplies(rule: AlertRule, check: Pick<Check, 'kind'>): boolean {
  if (rule.kind === 'down') return check.kind !== PUSH_KIND;
  if (rule.kind === 'heartbeat') return check.kind === PUSH_KIND;
  return true;
}

/** The rules that apply to `check`, in a stable order. */
export function rulesForCheck(alerts: AlertsConfig, check: Pick<Check, 'name' | 'group' | 'kind'>): AlertRule[] {
  const merged: RuleSet = { ...BUILT_IN, ...alerts.defaults };
  if (check.group) Object.assign(merged, alerts.groups?.[check.group]);
  Object.assign(merged, alerts.checks?.[check.name]);
  return Object.values(merged).filter((rule): rule is AlertRule => rule != null && ruleApplies(rule, check));
}

/** Alert key of a rule on a check: stable across restarts and instances. */
export function alertKey(rule: Pick<AlertRule, 'kind'>, check: string): string {
  return `${rule.kind}:${check}`;
}
