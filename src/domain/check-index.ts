/**
 * Each check's position in the config, by name: one Map per checks array, shared by the parts
 * that keep something per check (the alert evaluator, the page's live invalidation), which then
 * hold their values in arrays by position. A Map keyed by check name costs ~37 bytes per check
 * at 100,000 checks (3.5 MB, in large-object space); an array slot costs 8.
 * @module
 */

const indexes = new WeakMap<readonly { name: string }[], ReadonlyMap<string, number>>();

/**
 * Name → position of the first check with that name in `checks`, built once per array (a
 * config's checks array is never changed after loading: a reload makes a new one).
 */
export function checkIndex(checks: readonly { name: string }[]): ReadonlyMap<string, number> {
  const known = indexes.get(checks);
  if (known) return known;
  const index = new Map<string, number>();
  checks.forEach((check, position) => {
    if (!index.has(check.name)) index.set(check.name, position);
  });
  indexes.set(checks, index);
  return index;
}
