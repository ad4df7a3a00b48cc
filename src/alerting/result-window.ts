/**
 * A bounded, time-ordered window of one check's raw results: long enough for the widest rule on
 * the check, and never more than `maxResults` entries (a check run every second with a 1h
 * window still fits in memory).
 * @module
 */
import type { CheckResult } from '../domain/result.ts';

export interface ResultWindow {
  /** Adds results (any order); maintenance results are not kept, they never count. */
  add(results: readonly CheckResult[]): void;
  /** Drops what is older than the window at `now`. */
  trim(now: number): void;
  /** Results oldest first. */
  results(): readonly CheckResult[];
  /** Newest non-maintenance result ever added (kept even when the window is empty). */
  latest(): CheckResult | undefined;
  /** Forgets the results (not `latest`), before a reload from the store. */
  clear(): void;
}

function sameResult(a: CheckResult, b: CheckResult): boolean {
  return a.at === b.at && a.check === b.check && (a.region ?? 'local') === (b.region ?? 'local');
}

export function createResultWindow(windowMs: number, maxResults = 10_000): ResultWindow {
  let items: CheckResult[] = [];
  let newest: CheckResult | undefined;
  return {
    add(results) {
      for (const result of results) {
        if (result.inMaintenance) continue;
        if (!newest || result.at >= newest.at) newest = result;
        if (windowMs <= 0) continue;
        // results nearly always arrive in order: append, and insert in place otherwise
        let index = items.length;
        while (index > 0 && items[index - 1].at > result.at) index--;
        // the same result can come from the bus and from a reload of the store: keep it once
        let same = index - 1;
        while (same >= 0 && items[same].at === result.at && !sameResult(items[same], result)) same--;
        if (same >= 0 && items[same].at === result.at) continue;
        items.splice(index, 0, result);
      }
      if (items.length > maxResults) items = items.slice(items.length - maxResults);
    },
    trim(now) {
      const from = now - windowMs;
      let drop = 0;
      while (drop < items.length && items[drop].at <= from) drop++;
      if (drop) items = items.slice(drop);
    },
    results: () => items,
    clear() {
      items = [];
    },
    latest: () => newest,
  };
}
