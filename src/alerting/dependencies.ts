/**
 * Check dependencies (`dependsOn: [check | group]`): a check whose dependency is down does not
 * page; its alerts are muted like inhibited ones (inhibition.ts) and page only if they are still
 * in alarm once the dependency is back. A name is a check's name, or else a group's.
 * @module
 */
import type { AlertsConfigIssue } from './alerts-config.ts';
import { dependenciesOf, type DependentCheck } from '../domain/check-dependencies.ts';

/** Unknown names, a check depending on itself, and cycles (which would mute every check in them). */
export function dependencyIssues(checks: readonly DependentCheck[]): AlertsConfigIssue[] {
  const issues: AlertsConfigIssue[] = [];
  const groups = new Set(checks.map((c) => c.group).filter(Boolean));
  const edges = new Map(checks.map((c) => [c.name, dependenciesOf(c, checks)]));
  checks.forEach((check, index) => {
    check.dependsOn?.forEach((entry, j) => {
      const path = ['checks', index, 'dependsOn', j];
      if (entry === check.name) issues.push({ path, message: 'a check cannot depend on itself' });
      else if (!checks.some((c) => c.name === entry) && !groups.has(entry)) issues.push({ path, message: `no check or group is named "${entry}"` });
    });
    // a cycle through this check: depth-first from its dependencies back to it
    const seen = new Set<string>();
    const stack = [...(edges.get(check.name) ?? [])];
    while (stack.length) {
      const name = stack.pop()!;
      if (name === check.name) {
        issues.push({ path: ['checks', index, 'dependsOn'], message: `depends on itself through a cycle of dependencies` });
        break;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...(edges.get(name) ?? []));
    }
  });
  return issues;
}
