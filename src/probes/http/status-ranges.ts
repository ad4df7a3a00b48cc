/**
 * `expectStatus` in config: a code (`200`), a range (`"200-299"`), a class (`"2xx"`), or a list
 * of those. Parsed once at validation into inclusive ranges.
 * @module
 */
/** Inclusive `[low, high]` status range. */
export type StatusRange = readonly [number, number];

/** Used when `expectStatus` is omitted: any success, and a 3xx when redirects are not followed. */
export const DEFAULT_STATUS_RANGES: StatusRange[] = [[200, 399]];

/** True when `status` falls in any range. */
export function statusMatches(ranges: readonly StatusRange[], status: number): boolean {
  return ranges.some(([low, high]) => status >= low && status <= high);
}

/** `200-299, 304` for messages. */
export function describeRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(', ');
}
