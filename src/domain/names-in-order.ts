/**
 * Name lookups without a Map: numbers (positions, ids) kept sorted by the name each stands for,
 * found by bisection. 4 bytes per name where a Map keyed by name costs ~37 (3.5 MB in
 * large-object space at 100,000 names); a lookup is ~17 string comparisons at that size.
 * Names compare by UTF-16 code unit (`<`), the same order for sorting and searching.
 * @module
 */

/** Orders two numbers by their names; ties (one name twice) by the number itself. */
export function byName(nameOf: (n: number) => string): (a: number, b: number) => number {
  return (a, b) => {
    const x = nameOf(a);
    const y = nameOf(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  };
}

/** The first number in `sorted` (ordered by `byName`) whose name is `name`, or undefined. */
export function findByName(sorted: Int32Array, nameOf: (n: number) => string, name: string): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (nameOf(sorted[middle]) < name) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && nameOf(sorted[low]) === name ? sorted[low] : undefined;
}
