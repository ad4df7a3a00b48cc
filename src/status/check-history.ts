/**
 * One check's hour and day rollups, in the compact shape the status model reads: typed arrays
 * with one slot per bucket, oldest first, sized to the history that exists (a check with one hour
 * of results holds one hour and one day) and never more than the model's windows (168 hours, 90
 * days, counted back from the newest bucket held), one `Uint32Array` per resolution. Only the fields the model reads are kept:
 * per hour `count`, `ok`, the latency sum, min, max and histogram; per day `count`, `ok`,
 * `degraded` and `maintenance`. An absent bucket and one with nothing counted read the same; a
 * slot's floats mean something only while its count is above zero (every reader checks the count
 * first), so new slots are left zeroed and the first rollup added writes its values outright.
 *
 * The in-memory live facts keep one per check and merge each batch's partial rollups in (the
 * store writer's own sums, in its order, so every float matches the store's); a build from store
 * reads (the page Lambda, a page without live results) makes them for the model's windows from
 * the rollups it read, in one pass (`windowedHistories`). Either way the builder reads only this shape, and what
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

// a float is kept as two words of the slot: one typed array per table, not one per field kind
// (each typed array costs ~250 B before its first element, most of a fresh check's history)
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** Consecutive buckets of one resolution, `first` the start of slot 0. */
export class BucketTable {
  first = 0;
  /** Slots in use (slot i starts at `first + i × size`). */
  length = 0;
  /** Per slot: `intsPer` integers, then each float as two words. */
  words: Uint32Array;
  readonly size: number;
  /** Words per slot. */
  readonly stride: number;
  private readonly intsPer: number;
  readonly max: number;

  constructor(resolution: Resolution, intsPer: number, floatsPer: number, max: number) {
    this.size = RESOLUTION_MS[resolution];
    this.intsPer = intsPer;
    this.stride = intsPer + 2 * floatsPer;
    this.max = max;
    this.words = EMPTY;
  }

  /** Float `field` of slot `slot`. */
  float(slot: number, field: number): number {
    const k = slot * this.stride + this.intsPer + 2 * field;
    f64Words[0] = this.words[k];
    f64Words[1] = this.words[k + 1];
    return f64[0];
  }

  setFloat(slot: number, field: number, value: number): void {
    const k = slot * this.stride + this.intsPer + 2 * field;
    f64[0] = value;
    this.words[k] = f64Words[0];
    this.words[k + 1] = f64Words[1];
  }

  /** Makes an empty table hold the buckets from `from` to `to` (starts, inclusive; at most `max`, the newest), zeroed. */
  reserve(from: number, to: number): void {
    const length = Math.min(this.max, (to - from) / this.size + 1);
    this.first = to - (length - 1) * this.size;
    this.length = length;
    this.words = new Uint32Array(length * this.stride);
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
      this.resize(1, 0, 0);
      this.first = start;
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
    const keep = Math.max(0, Math.min(this.length - from, length - Math.max(0, by)));
    const stride = this.stride;
    const capacity = this.words.length / stride;
    const to = Math.max(0, by);
    if (length > capacity || by !== 0) {
      const next = length > capacity ? Math.min(this.max, Math.max(length, capacity * 2)) : capacity;
      const words = new Uint32Array(next * stride);
      if (keep > 0) words.set(this.words.subarray(from * stride, (from + keep) * stride), to * stride);
      this.words = words;
    }
    this.length = length;
  }
}

const EMPTY = new Uint32Array(0);

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
      const hours = this.hours;
      const words = hours.words;
      const k = slot * hours.stride;
      const histogram = rollup.histogram;
      const bins = Math.min(HISTOGRAM_SIZE, histogram.length);
      if (words[k] === 0) {
        // an empty slot (the only kind a store read fills): the rollup's own values, no merge
        words[k] = rollup.count;
        words[k + 1] = rollup.ok;
        for (let b = 0; b < bins; b++) words[k + 2 + b] = histogram[b];
        hours.setFloat(slot, HOUR.sum, rollup.latencySum);
        hours.setFloat(slot, HOUR.min, rollup.latencyMin);
        hours.setFloat(slot, HOUR.max, rollup.latencyMax);
        return;
      }
      words[k] += rollup.count;
      words[k + 1] += rollup.ok;
      for (let b = 0; b < bins; b++) words[k + 2 + b] += histogram[b];
      hours.setFloat(slot, HOUR.sum, hours.float(slot, HOUR.sum) + rollup.latencySum);
      hours.setFloat(slot, HOUR.min, Math.min(hours.float(slot, HOUR.min), rollup.latencyMin));
      hours.setFloat(slot, HOUR.max, Math.max(hours.float(slot, HOUR.max), rollup.latencyMax));
      return;
    }
    const slot = this.days.slotFor(rollup.start);
    if (slot < 0) return;
    const words = this.days.words;
    const k = slot * this.days.stride;
    words[k] += rollup.count;
    words[k + 1] += rollup.ok;
    words[k + 2] += rollup.degraded;
    words[k + 3] += rollup.maintenance;
  }
}

/** Word offsets of an hour slot's integers (`words[slot × stride + …]`) and indexes of its floats (`float(slot, …)`). */
export const HOUR = { count: 0, ok: 1, histogram: 2, sum: 0, min: 1, max: 2 } as const;
/** Word offsets of a day slot's integers. */
export const DAY = { count: 0, ok: 1, degraded: 2, maintenance: 3 } as const;

/**
 * Histories of the checks in `reads` (as store reads return rollups: any order, one per check and
 * bucket), each table sized to the buckets that exist: what the live facts hold for as long as
 * the process runs.
 */
export function historiesOf(reads: readonly (readonly Rollup[])[]): Map<string, CheckHistory> {
  const spans = new Map<string, BucketSpans>();
  for (const read of reads) spanReads(read, spans);
  const histories = new Map<string, CheckHistory>();
  for (const [check, span] of spans) {
    const history = new CheckHistory();
    span.hours.reserve(history.hours);
    span.days.reserve(history.days);
    histories.set(check, history);
  }
  for (const read of reads) addReads(read, histories);
  return histories;
}

/**
 * Histories of the checks in `reads` for one model build, each table covering exactly the
 * windows given (bucket starts, `[from, to)`) whatever the check holds: one pass over the rollups
 * instead of a sizing pass and a filling pass (a build from the store reads each rollup once,
 * and at 1,000 checks that is 258,000 objects; the tables are dropped with the model).
 */
export function windowedHistories(
  reads: readonly (readonly Rollup[])[],
  windows: { hour: readonly [number, number]; day: readonly [number, number] },
): Map<string, CheckHistory> {
  const histories = new Map<string, CheckHistory>();
  const fresh = (): CheckHistory => {
    const history = new CheckHistory();
    history.hours.reserve(windows.hour[0], windows.hour[1] - history.hours.size);
    history.days.reserve(windows.day[0], windows.day[1] - history.days.size);
    return history;
  };
  for (const read of reads) addReads(read, histories, fresh);
  return histories;
}

/** The first and last bucket start seen for one check and resolution (none: `first` is NaN). */
class BucketSpan {
  first = Number.NaN;
  last = Number.NaN;

  see(start: number): void {
    if (!(start >= this.first)) this.first = start;
    if (!(start <= this.last)) this.last = start;
  }

  reserve(table: BucketTable): void {
    if (!Number.isNaN(this.first)) table.reserve(this.first, this.last);
  }
}

class BucketSpans {
  readonly hours = new BucketSpan();
  readonly days = new BucketSpan();
}

// Store reads come grouped by check (their index order), so each loop looks a check up once per
// run of its rollups, not once per rollup.

function spanReads(read: readonly Rollup[], spans: Map<string, BucketSpans>): void {
  let check: string | undefined;
  let span: BucketSpans | undefined;
  for (let i = 0; i < read.length; i++) {
    const r = read[i];
    if (r.check !== check || !span) {
      check = r.check;
      span = spans.get(check);
      if (!span) spans.set(check, (span = new BucketSpans()));
    }
    (r.resolution === 'hour' ? span.hours : span.days).see(r.start);
  }
}

/** Adds each rollup to its check's history; a check without one gets `fresh()`'s (or is skipped). */
function addReads(read: readonly Rollup[], histories: Map<string, CheckHistory>, fresh?: () => CheckHistory): void {
  let check: string | undefined;
  let history: CheckHistory | undefined;
  for (let i = 0; i < read.length; i++) {
    const r = read[i];
    if (r.check !== check || !history) {
      check = r.check;
      history = histories.get(check);
      if (!history) {
        if (!fresh) continue;
        histories.set(check, (history = fresh()));
      }
    }
    history.add(r);
  }
}
