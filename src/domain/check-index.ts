/**
 * Each check's position in the config, by name: one index per checks array, shared by the parts
 * that keep something per check (the alert evaluator, the page's live invalidation, the state
 * authority, the live status facts), which then hold their values in arrays by position.
 *
 * The index is the checks' positions sorted by name, searched by bisection (domain/names-in-order.ts:
 * 4 bytes per check where a Map was ~37), for lookups that are a few per result.
 * @module
 */
import { byName, findByName } from './names-in-order.ts';

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
  const nameOf = (position: number) => checks[position].name;
  const byPosition = new Int32Array(checks.length);
  for (let position = 0; position < byPosition.length; position++) byPosition[position] = position;
  // ties keep position order, so the first of two checks with one name is found
  byPosition.sort(byName(nameOf));
  return {
    get: (name) => findByName(byPosition, nameOf, name),
    has: (name) => findByName(byPosition, nameOf, name) !== undefined,
  };
}
