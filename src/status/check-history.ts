/**
 * One check's hour and day rollups, in the compact shape the status model reads: typed arrays
 * with one slot per bucket, oldest first, sized to the history that exists (a check with one hour
 * of results holds one hour and one day) and never more than the model's windows (168 hours, 90
 * days, counted back from the newest bucket held). Only the fields the model reads are kept:
 * per hour `count`, `ok`, the latency sum, min, max and histogram; per day `count`, `ok`,
 * `degraded` and `maintenance`. An absent bucket and one with nothing counted read the same.
 *
 * The in-memory live facts keep one per check and merge each batch's partial rollups in (the
 * store writer's own sums, in its order, so every float matches the store's); the page Lambda
 * builds them from the rollups it reads. Either way the builder reads only this shape, and what
 * it derives from one (uptime totals, the 90-day bar, latency series) is kept in `derived` until
 * the history changes.
 * @module
 */
import { HISTOGRAM_SIZE } from '../domain/histogram.ts';
import { RESOLUTION_MS, type Resolution, type Rollup } from '../domain/rollup.ts';

/** Hours of the longest hourly window the model reads (7 days). */
export const HISTORY_HOURS = 7 * 24;
/** Days of the longest daily window the model reads. */
export const HISTORY_DAYS = 90;

/** Integers per hour: count, ok, then the histogram. */
const HOUR_INTS = 2 + HISTOGRAM_SIZE;
/** Floats per hour: latency sum, min, max. */
const HOUR_FLOATS = 3;
/** Integers per day: count, ok, degraded, maintenance. */
const DAY_INTS = 4;

/** Consecutive buckets of one resolution, `first` the start of slot 0. */
export class BucketTable {
  first = 0;
  /** Slots in use (slot i starts at `first + i × size`). */
  length = 0;
  ints: Uint32Array;
  floats: Float64Array;
  readonly size: number;
  readonly intsPer: number;
  readonly floatsPer: number;
  readonly max: number;

  constructor(resolution: Resolution, intsPer: number, floatsPer: number, max: number) {
    this.size = RESOLUTION_MS[resolution];
    this.intsPer = intsPer;
    this.floatsPer = floatsPer;
    this.max = max;
    this.ints = new Uint32Array(intsPer);
    this.floats = new Float64Array(floatsPer);
  }

  /** Slot of the bucket starting at `start`, or -1 when none is held. */
  indexOf(start: number): number {
    const i = (start - this.first) / this.size;
    return i >= 0 && i < this.length && Number.isInteger(i) ? i : -1;
  }

  /**
   * Slot for the bucket starting at `start`, made (zeroed) when missing; -1 when it is older
   * than the `max` buckets ending with the newest held.
   */
  slotFor(start: number): number {
    if (this.length === 0) {
      this.first = start;
      this.length = 1;
      this.clearFloats(0);
      return 0;
    }
    const i = (start - this.first) / this.size;
    if (!Number.isInteger(i)) return -1;
    if (i >= 0 && i < this.length) return i;
    if (i < 0) {
      // an older bucket (results out of order): shift what is held towards the end
      const shift = -i;
      if (this.length + shift > this.max) return -1;
      this.resize(this.length + shift, shift, 0);
      this.first = start;
      return 0;
    }
    // newer: extend; buckets that fall out of the window at the front are dropped
    const drop = Math.max(0, i + 1 - this.max);
    this.resize(i + 1 - drop, -drop, drop);
    this.first += drop * this.size;
    return i - drop;
  }

  /**
   * Makes the table `length` slots long: the slots kept (from `from`) move by `by`, new ones are
   * zero. Capacity grows by doubling (up to `max`), so a growing history copies rarely.
   */
  private resize(length: number, by: number, from: number): void {
    const keep = Math.min(this.length - from, length - Math.max(0, by));
    const capacity = this.ints.length / this.intsPer;
    if (length > capacity || by !== 0) {
      const next = length > capacity ? Math.min(this.max, Math.max(length, capacity * 2)) : capacity;
      const ints = new Uint32Array(next * this.intsPer);
      const floats = new Float64Array(next * this.floatsPer);
      const to = Math.max(0, by);
      if (keep > 0) {
        ints.set(this.ints.subarray(from * this.intsPer, (from + keep) * this.intsPer), to * this.intsPer);
        floats.set(this.floats.subarray(from * this.floatsPer, (from + keep) * this.floatsPer), to * this.floatsPer);
      }
      this.ints = ints;
      this.floats = floats;
      for (let s = 0; s < to; s++) this.clearFloats(s);
      for (let s = to + Math.max(0, keep); s < length; s++) this.clearFloats(s);
    } else {
      for (let s = this.length; s < length; s++) this.clearFloats(s);
    }
    this.length = length;
  }

  /** A new hour's latency min starts at +∞, like an empty rollup's. */
  private clearFloats(slot: number): void {
    if (this.floatsPer) this.floats[slot * this.floatsPer + 1] = Number.POSITIVE_INFINITY;
  }
}

/** A check's hour and day buckets; `derived` holds what the model computed from them. */
export class CheckHistory {
  readonly hours = new BucketTable('hour', HOUR_INTS, HOUR_FLOATS, HISTORY_HOURS);
  readonly days = new BucketTable('day', DAY_INTS, 0, HISTORY_DAYS);
  /** Values derived by the model builder, dropped whenever a rollup is added. */
  derived: unknown;

  /** Adds a (partial) rollup of this check into its bucket, as `mergeRollup` would. */
  add(rollup: Rollup): void {
    this.derived = undefined;
    if (rollup.resolution === 'hour') {
      const slot = this.hours.slotFor(rollup.start);
      if (slot < 0) return;
      const ints = this.hours.ints;
      const floats = this.hours.floats;
      const k = slot * HOUR_INTS;
      ints[k] += rollup.count;
      ints[k + 1] += rollup.ok;
      for (let b = 0; b < HISTOGRAM_SIZE; b++) ints[k + 2 + b] += rollup.histogram[b] ?? 0;
      const f = slot * HOUR_FLOATS;
      floats[f] += rollup.latencySum;
      floats[f + 1] = Math.min(floats[f + 1], rollup.latencyMin);
      floats[f + 2] = Math.max(floats[f + 2], rollup.latencyMax);
      return;
    }
    const slot = this.days.slotFor(rollup.start);
    if (slot < 0) return;
    const ints = this.days.ints;
    const k = slot * DAY_INTS;
    ints[k] += rollup.count;
    ints[k + 1] += rollup.ok;
    ints[k + 2] += rollup.degraded;
    ints[k + 3] += rollup.maintenance;
  }
}

/** Field offsets inside a slot, for the readers in `history-stats.ts`. */
export const HOUR = { ints: HOUR_INTS, floats: HOUR_FLOATS, count: 0, ok: 1, histogram: 2, sum: 0, min: 1, max: 2 } as const;
export const DAY = { ints: DAY_INTS, count: 0, ok: 1, degraded: 2, maintenance: 3 } as const;

/** Histories of the checks in `reads` (as store reads return rollups: any order, one per check and bucket). */
export function historiesOf(...reads: readonly (readonly Rollup[])[]): Map<string, CheckHistory> {
  const histories = new Map<string, CheckHistory>();
  // stores read check by check, so the previous row's history is nearly always the one
  let last: string | undefined;
  let history: CheckHistory | undefined;
  for (const r of reads.flat()) {
    if (r.check !== last || !history) {
      last = r.check;
      history = histories.get(r.check);
      if (!history) histories.set(r.check, (history = new CheckHistory()));
    }
    history.add(r);
  }
  return histories;
}
