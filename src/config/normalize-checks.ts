/**
 * Turns validated raw check entries into `Check` objects: applies defaults, enforces the rules a
 * schema cannot express per field (timeout ≤ interval, unique names, quorum ≤ regions), and
 * compiles conditions so a bad condition stops start-up instead of failing every run.
 *
 * Sub-objects equal between checks (confirmation, regions, conditions, a probe's default
 * `expectStatus` or `tls`, …) are interned: one frozen instance shared by every check that has
 * that value, instead of a copy per check (intern-values.ts). A probe's own config object is not
 * shared, so code that keys anything by it still sees one object per check.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import { compileCondition } from '../conditions/compile-condition.ts';
import { DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS, type CheckDefaults } from './check-schema.ts';
import { formatDuration } from '../kernel/parse-duration.ts';
import { createInterner } from './intern-values.ts';

/** A problem found while normalising, located by its path in the config document. */
export interface NormalizeIssue {
  path: PropertyKey[];
  message: string;
}

export function normalizeChecks(
  rawChecks: readonly Record<string, unknown>[],
  defaults: CheckDefaults,
  probes: ProbeRegistry,
): { checks: Check[]; issues: NormalizeIssue[] } {
  const issues: NormalizeIssue[] = [];
  const seen = new Map<string, number>();
  const checks: Check[] = [];
  const { intern } = createInterner();
  rawChecks.forEach((raw, index) => {
    const at = (...rest: PropertyKey[]) => ['checks', index, ...rest];
    const name = raw.name as string;
    const first = seen.get(name);
    if (first !== undefined) issues.push({ path: at('name'), message: `duplicate check name "${name}" (also checks[${first}])` });
    else seen.set(name, index);

    const kind = Object.keys(probes).find((k) => raw[k] !== undefined)!;
    const probe = raw[kind];
    if (probe && typeof probe === 'object') {
      const fields = probe as Record<string, unknown>;
      for (const key of Object.keys(fields)) fields[key] = intern(fields[key]);
    }
    const intervalMs = (raw.interval as number | undefined) ?? defaults?.interval ?? DEFAULT_INTERVAL_MS;
    const timeoutMs = Math.min(
      (raw.timeout as number | undefined) ?? defaults?.timeout ?? DEFAULT_TIMEOUT_MS,
      raw.timeout === undefined ? intervalMs : Number.POSITIVE_INFINITY,
    );
    if (intervalMs < 1000) issues.push({ path: at('interval'), message: 'must be at least 1s' });
    if (timeoutMs > intervalMs) {
      issues.push({ path: at('timeout'), message: `must not exceed the interval (${formatDuration(intervalMs)})` });
    }
    if (timeoutMs < 1) issues.push({ path: at('timeout'), message: 'must be positive' });

    const conditions = (raw.conditions as string[] | undefined) ?? [];
    conditions.forEach((text, i) => {
      const compiled = compileCondition(text);
      if (!compiled.ok) {
        issues.push({
          path: at('conditions', i),
          message: `${compiled.error.message} (at "${compiled.error.token}", column ${compiled.error.column})`,
        });
      }
    });

    const regions = (raw.regions as string[] | undefined) ?? ['local'];
    const quorum = (raw.quorum as number | undefined) ?? 1;
    if (quorum > regions.length) {
      issues.push({ path: at('quorum'), message: `must not exceed the number of regions (${regions.length})` });
    }
    if (new Set(regions).size !== regions.length) issues.push({ path: at('regions'), message: 'lists a region twice' });

    const degradedAfterMs = (raw.degradedAfter as number | undefined) ?? defaults?.degradedAfter;
    // one literal with the fields every check has, so they all sit inside the object; the
    // optional ones are added only when set (a spread first, or an undefined field, cost each
    // check an out-of-object property array or a slot: ~64 bytes per check at 20,000 checks)
    const check: Check = {
      name,
      intervalMs,
      timeoutMs,
      confirm: intern({
        downAfter: (raw.downAfter as Check['confirm']['downAfter'] | undefined) ?? defaults?.downAfter ?? { count: 1, of: 1 },
        upAfter: (raw.upAfter as number | undefined) ?? defaults?.upAfter ?? 1,
      }),
      conditions: intern(conditions),
      kind,
      probe,
      // a describe that returns the probe config's own string (an http URL) keeps one copy per check
      target: probes[kind].describe(probe),
      regions: intern(regions),
      quorum,
    };
    if (raw.group !== undefined) check.group = raw.group as string;
    if (raw.description !== undefined) check.description = raw.description as string;
    if (degradedAfterMs !== undefined) check.degradedAfterMs = degradedAfterMs;
    if (raw.showTarget === true) check.showTarget = true;
    if (raw.dependsOn) check.dependsOn = intern(raw.dependsOn as string[]);
    checks.push(check);
  });
  return { checks, issues };
}
