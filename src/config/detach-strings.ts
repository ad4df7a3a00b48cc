/**
 * Copies every string of a parsed config into storage of its own, so that no value keeps the
 * whole file text alive. Both YAML parsers return scalars as substrings of the text, and V8
 * represents a substring of 13 or more characters as a "sliced string": a pointer into the
 * parent string. One surviving URL or name then retains the whole file (10 MiB at 100,000
 * checks) for as long as the config lives, which is the life of the process.
 * @module
 */

/** V8 copies substrings shorter than this (SlicedString::kMinLength); only longer ones can be slices. */
const MIN_SLICE_CHARS = 13;

/**
 * A string equal to `s` that shares no storage with it. `JSON.parse` builds each string value
 * it reads from scratch, and the `JSON.stringify` → `JSON.parse` round trip is exact for every
 * string, lone surrogates included (they are escaped as `\uXXXX` and read back). Concatenation
 * would not do: V8 returns the same string for `s + ''` or `s.concat()`, and a longer
 * concatenation is a "cons string" that still points at the slice.
 */
function detachedString(s: string): string {
  return s.length < MIN_SLICE_CHARS ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * Replaces, in place, every string value inside plain objects and arrays under `root` by a
 * detached copy (`detachedString`), and returns the root (itself replaced when it is a string).
 * Property keys need nothing: V8 stores keys as internalized strings, never as slices. Objects
 * shared by YAML aliases are visited once.
 */
export function detachStrings<T>(root: T): T {
  if (typeof root === 'string') return detachedString(root) as T;
  const seen = new Set<object>();
  const stack: object[] = [];
  if (root && typeof root === 'object') stack.push(root);
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      // always written back: a copy compares equal (===) to the slice it replaces
      if (typeof item === 'string') record[key] = detachedString(item);
      else if (item && typeof item === 'object') stack.push(item);
    }
  }
  return root;
}
