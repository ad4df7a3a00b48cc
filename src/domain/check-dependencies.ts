/**
 * What a check depends on (`dependsOn: [check | group]`), groups expanded. Alerting mutes a check
 * whose dependency is down (alerting/dependencies.ts); the page says which dependency affects it.
 * @module
 */

import { checkIndex } from './check-index.ts';

/** The part of a check the dependency graph needs. */
export interface DependentCheck {
  name: string;
  group?: string;
  dependsOn?: readonly string[];
}

/** The check names `check` depends on, groups expanded (the check itself left out). */
export function dependenciesOf(check: DependentCheck, checks: readonly DependentCheck[]): string[] {
  const names = new Set<string>();
  for (const entry of check.dependsOn ?? []) {
    const at = checkIndex(checks).get(entry);
    const byName = at === undefined ? undefined : checks[at];
    const members = byName ? [byName] : checks.filter((c) => c.group === entry);
    for (const member of members) if (member.name !== check.name) names.add(member.name);
  }
  return [...names];
}
