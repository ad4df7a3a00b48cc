/**
 * Silences: stored in the store (so they hold across restarts and on every instance of a
 * cluster), matched against alerts by check, group, rule and severity. A silenced alert still
 * changes state but sends nothing, like an inhibited one (inhibition.ts): one still in alarm when
 * its silence ends pages then.
 * @module
 */
import type { Silence, SilenceMatchers } from '../domain/alert.ts';
import type { Store } from '../storage/store.ts';

export type SilenceStore = Pick<Store, 'listSilences'>;

/** The fields of an alert that a silence's matchers compare. */
export interface SilenceSubject {
  check: string;
  group?: string;
  rule: string;
  severity?: string;
}

const MATCHER_FIELDS = ['check', 'group', 'rule', 'severity'] as const satisfies readonly (keyof SilenceMatchers)[];

/** True when `silence` is running at `now` and every matcher it sets equals the alert's field. */
export function silenceMatches(silence: Silence, subject: SilenceSubject, now: number): boolean {
  if (now < silence.startsAt || now >= silence.endsAt) return false;
  const set = MATCHER_FIELDS.filter((field) => silence.matchers[field] !== undefined);
  return set.length > 0 && set.every((field) => silence.matchers[field] === subject[field]);
}

/** How long one read of the stored silences is reused. */
const REFRESH_MS = 10_000;

/** The silences not ended at `now`, read from the store at most once per `refreshMs`. */
export function createActiveSilences(store: SilenceStore, refreshMs = REFRESH_MS): (now: number) => Promise<readonly Silence[]> {
  let cached: { at: number; silences: readonly Silence[] } | undefined;
  return async (now) => {
    if (cached && now >= cached.at && now - cached.at < refreshMs) return cached.silences;
    cached = { at: now, silences: await store.listSilences({ activeAt: now }) };
    return cached.silences;
  };
}
