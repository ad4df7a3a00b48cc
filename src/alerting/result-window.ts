/**
 * A bounded, time-ordered window of one check's raw results: long enough for the widest rule on
 * the check, and never more than `maxResults` entries (a check run every second with a 1h
 * window still fits in memory).
 *
 * There is one window per alerted check (100,000 at scale), so it is a plain class with four
 * fixed fields instead of an object of five closures over a shared context: V8 gives every
 * instance the same hidden class and shares the methods on the prototype. An empty window points
 * at one shared frozen array and allocates its own only when a result arrives (a check whose
 * rules need no window, e.g. `down` on the latest result, never does).
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

/** Shared by every empty window; never mutated (frozen, so a slip would throw in strict mode). */
const EMPTY: CheckResult[] = Object.freeze([]) as unknown as CheckResult[];

function sameResult(a: CheckResult, b: CheckResult): boolean {
  return a.at === b.at && a.check === b.check && (a.region ?? 'local') === (b.region ?? 'local');
}

class BoundedResultWindow implements ResultWindow {
  private items: CheckResult[] = EMPTY;
  private newest: CheckResult | undefined = undefined;
  private readonly windowMs: number;
  private readonly maxResults: number;

  constructor(windowMs: number, maxResults: number) {
    this.windowMs = windowMs;
    this.maxResults = maxResults;
  }

  add(results: readonly CheckResult[]): void {
    for (const result of results) {
      if (result.inMaintenance) continue;
      if (!this.newest || result.at >= this.newest.at) this.newest = result;
      if (this.windowMs <= 0) continue;
      const items = this.items;
      // results nearly always arrive in order: append, and insert in place otherwise
      let index = items.length;
      while (index > 0 && items[index - 1].at > result.at) index--;
      // the same result can come from the bus and from a reload of the store: keep it once
      let same = index - 1;
      while (same >= 0 && items[same].at === result.at && !sameResult(items[same], result)) same--;
      if (same >= 0 && items[same].at === result.at) continue;
      if (items === EMPTY) this.items = [result];
      else items.splice(index, 0, result);
    }
    if (this.items.length > this.maxResults) this.items = this.items.slice(this.items.length - this.maxResults);
  }

  trim(now: number): void {
    const from = now - this.windowMs;
    const items = this.items;
    let drop = 0;
    while (drop < items.length && items[drop].at <= from) drop++;
    if (drop === items.length) this.items = EMPTY;
    else if (drop) this.items = items.slice(drop);
  }

  results(): readonly CheckResult[] {
    return this.items;
  }

  latest(): CheckResult | undefined {
    return this.newest;
  }

  clear(): void {
    this.items = EMPTY;
  }
}

/** A window of `windowMs` (0: keep only `latest`) holding at most `maxResults` results. */
export function createResultWindow(windowMs: number, maxResults = 10_000): ResultWindow {
  return new BoundedResultWindow(windowMs, maxResults);
}
