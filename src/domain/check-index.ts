/**
 * Each check's position in the config, by name: one index per checks array, shared by the parts
 * that keep something per check (the alert evaluator, the page's live invalidation, the state
 * authority, the live status facts), which then hold their values in arrays by position.
 *
 * The index is the checks' positions sorted by name (4 bytes per check), searched by bisection.
 * A Map keyed by name cost ~37 bytes per check (3.5 MB in large-object space at 100,000 checks)
 * for lookups that are a few per result: 17 string comparisons each at 100,000 checks.
 * @module
 */

/** Name → position of the first check with that name. */
export interface CheckIndex {
  get(name: string): number | undefined;
  has(name: string): boolean;
}

const indexes = new WeakMap<readonly { name: string }[], CheckIndex>();

/**
 * The index of `checks`, built once per array (a config's checks array is never changed after
 * loading: a reload makes a new one).
 */
export function checkIndex(checks: readonly { name: string }[]): CheckIndex {
  let index = indexes.get(checks);
  if (!index) {
    index = sortedIndex(checks);
    indexes.set(checks, index);
  }
  return index;
}

function sortedIndex(checks: readonly { name: string }[]): CheckIndex {
  const byName = new Int32Array(checks.length);
  for (let position = 0; position < byName.length; position++) byName[position] = position;
  // ties keep position order, so the first of two checks with one name is found
  byName.sort((a, b) => {
    const x = checks[a].name;
    const y = checks[b].name;
    return x < y ? -1 : x > y ? 1 : a - b;
  });

  /** Position of the first check named `name`, or -1. */
  const find = (name: string): number => {
    let low = 0;
    let high = byName.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (checks[byName[middle]].name < name) low = middle + 1;
      else high = middle;
    }
    return low < byName.length && checks[byName[low]].name === name ? byName[low] : -1;
  };

  return {
    get(name) {
      const position = find(name);
      return position < 0 ? undefined : position;
    },
    has: (name) => find(name) >= 0,
  };
}
