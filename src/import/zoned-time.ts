/**
 * Wall-clock times in an IANA time zone to epoch ms, for sources that store local times (Kuma's
 * maintenance windows). Uses Intl only: no time-zone database of our own.
 * @module
 */

/** Offset of `tz` from UTC at instant `at`, in ms (positive east of Greenwich). */
function offsetAt(at: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** `YYYY-MM-DD HH:MM[:SS]` read as wall-clock time in `tz`; NaN when unreadable. */
export function zonedToUtc(local: string, tz: string): number {
  const guess = Date.parse(`${local.trim().replace(' ', 'T')}Z`);
  if (Number.isNaN(guess)) return Number.NaN;
  const first = guess - offsetAt(guess, tz);
  // across a DST change the offset at the result can differ from the guess's: use the result's
  return guess - offsetAt(first, tz);
}

/** ISO-8601 in UTC without milliseconds (`2026-01-10T09:00:00Z`). */
export function isoUtc(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
