import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CheckHistory, HISTORY_DAYS, HISTORY_HOURS, HOUR, historiesOf, windowedHistories } from './check-history.ts';
import { emptyRollup, mergeRollup, RESOLUTION_MS, type Resolution, type Rollup } from '../domain/rollup.ts';
import { HISTOGRAM_SIZE } from '../domain/histogram.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';

const T0 = Date.UTC(2026, 0, 1);
const HOUR_MS = RESOLUTION_MS.hour;
const DAY_MS = RESOLUTION_MS.day;

function partial(resolution: Resolution, index: number, random: () => number): Rollup {
  const r = emptyRollup('A', resolution, T0 + index * RESOLUTION_MS[resolution]);
  r.count = 1 + Math.floor(random() * 5);
  r.ok = Math.floor(random() * (r.count + 1));
  r.degraded = Math.floor(random() * (r.ok + 1));
  r.maintenance = Math.floor(random() * 3);
  r.latencySum = Math.round(random() * 1e6) / 100;
  r.latencyMin = Math.round(random() * 1e4) / 100;
  r.latencyMax = r.latencyMin + Math.round(random() * 1e4) / 100;
  r.histogram = Array.from({ length: HISTOGRAM_SIZE }, () => Math.floor(random() * 3));
  return r;
}

/** Adds 3,000 random partial rollups at `indexAt(n)` and compares every bucket held with a reference that keeps them all. */
function compareWithReference(random: () => number, indexAt: (n: number) => number, least: number): void {
  const history = new CheckHistory();
  const expected: Record<Resolution, Map<number, Rollup>> = { hour: new Map(), day: new Map() };
  const newest: Record<Resolution, number> = { hour: -1, day: -1 };
  const max = { hour: HISTORY_HOURS, day: HISTORY_DAYS };
  for (let n = 0; n < 3000; n++) {
    const resolution: Resolution = random() < 0.5 ? 'hour' : 'day';
    const index = indexAt(n);
    const p = partial(resolution, index, random);
    // the reference keeps everything; a bucket older than the window of the newest is never asked for
    if (index > newest[resolution] - max[resolution]) {
      const held = expected[resolution].get(index);
      expected[resolution].set(index, held ? mergeRollup(held, structuredClone(p)) : structuredClone(p));
    }
    newest[resolution] = Math.max(newest[resolution], index);
    history.add(p);
  }
  for (const resolution of ['hour', 'day'] as const) {
    const table = resolution === 'hour' ? history.hours : history.days;
    assert.ok(table.length <= max[resolution], `${resolution}: ${table.length} slots`);
    assert.equal(table.first + (table.length - 1) * table.size, T0 + newest[resolution] * table.size, `${resolution}: ends with the newest`);
    let checked = 0;
    for (let index = newest[resolution] - max[resolution] + 1; index <= newest[resolution]; index++) {
      const slot = table.indexOf(T0 + index * table.size);
      const want = expected[resolution].get(index);
      if (!want) {
        if (slot >= 0) assert.equal(table.words[slot * table.stride], 0, `${resolution} ${index}: nothing counted`);
        continue;
      }
      checked++;
      assert.ok(slot >= 0, `${resolution} ${index} held`);
      const ints = Array.from(table.words.subarray(slot * table.stride, slot * table.stride + (resolution === 'hour' ? 2 + HISTOGRAM_SIZE : 4)));
      if (resolution === 'hour') {
        assert.deepEqual(ints, [want.count, want.ok, ...want.histogram], `hour ${index}`);
        const floats = [HOUR.sum, HOUR.min, HOUR.max].map((field) => table.float(slot, field));
        assert.deepEqual(floats, [want.latencySum, want.latencyMin, want.latencyMax], `hour ${index} latency`);
      } else {
        assert.deepEqual(ints, [want.count, want.ok, want.degraded, want.maintenance], `day ${index}`);
      }
    }
    assert.ok(checked >= least, `${resolution}: ${checked} buckets compared`);
  }
}

describe('CheckHistory', () => {
  it('holds the merged rollups of the newest 168 hours and 90 days as time moves on (late results, jumps)', () => {
    const random = seededRandom(5);
    // mostly forward in time, sometimes back (a late result), sometimes a jump
    compareWithReference(random, (n) => Math.max(0, Math.floor(n / 8) + Math.floor((random() - 0.7) * (random() < 0.05 ? 400 : 10))), 20);
  });

  it('holds every bucket of a window whatever order they arrive in', () => {
    const random = seededRandom(9);
    compareWithReference(random, () => 400 + Math.floor(random() * 85), 85);
  });

  it('is sized to the history that exists: one hour and one day hold one slot each', () => {
    const history = new CheckHistory();
    const random = seededRandom(1);
    history.add(partial('hour', 0, random));
    history.add(partial('day', 0, random));
    assert.equal(history.hours.words.length, history.hours.stride);
    assert.equal(history.days.words.length, history.days.stride);
    // a day of hours grows by doubling, never past the window
    for (let i = 1; i < 24; i++) history.add(partial('hour', i, random));
    assert.equal(history.hours.words.length, 32 * history.hours.stride);
    for (let i = 24; i < 1000; i++) history.add(partial('hour', i, random));
    assert.equal(history.hours.words.length, HISTORY_HOURS * history.hours.stride);
  });

  it('drops what was derived from it whenever a rollup is added', () => {
    const history = new CheckHistory();
    history.derived = { some: 'value' };
    history.add(partial('day', 3, seededRandom(2)));
    assert.equal(history.derived, undefined);
  });

  it('is built from a store read in any order, each table allocated once at its size, as if added in order', () => {
    const random = seededRandom(4);
    const hours = Array.from({ length: 200 }, (_, i) => partial('hour', 1000 + i * 3, random));
    const days = Array.from({ length: 40 }, (_, i) => partial('day', 10 + i * 2, random));
    const inOrder = new CheckHistory();
    for (const r of [...hours, ...days]) inOrder.add(structuredClone(r));
    const shuffled = [...hours].sort(() => random() - 0.5);
    const read = historiesOf([shuffled, [...days].reverse()]).get('A') as CheckHistory;
    for (const table of ['hours', 'days'] as const) {
      assert.equal(read[table].first, inOrder[table].first, `${table} first`);
      assert.equal(read[table].length, inOrder[table].length, `${table} length`);
      assert.equal(read[table].words.length, read[table].length * read[table].stride, `${table} sized to what exists`);
      assert.deepEqual(read[table].words, inOrder[table].words.subarray(0, inOrder[table].length * inOrder[table].stride), table);
    }
  });

  it('is built for a model from a store read in one pass, each table exactly the windows asked for', () => {
    const random = seededRandom(5);
    // hours 1000…1597 and days 10…88 exist; the windows start inside them and end past them
    const hours = Array.from({ length: 200 }, (_, i) => partial('hour', 1000 + i * 3, random));
    const days = Array.from({ length: 40 }, (_, i) => partial('day', 10 + i * 2, random));
    const inOrder = new CheckHistory();
    for (const r of [...hours, ...days]) inOrder.add(structuredClone(r));
    const shuffled = [...hours].sort(() => random() - 0.5);
    const at = (resolution: Resolution, index: number) => T0 + index * RESOLUTION_MS[resolution];
    const windows = { hour: [at('hour', 1450), at('hour', 1450 + HISTORY_HOURS)], day: [at('day', 20), at('day', 20 + HISTORY_DAYS)] } as const;
    const history = windowedHistories([shuffled, [...days].reverse()], windows).get('A') as CheckHistory;
    for (const [name, resolution, from] of [['hours', 'hour', 1450], ['days', 'day', 20]] as const) {
      const table = history[name];
      const whole = inOrder[name];
      assert.equal(table.first, at(resolution, from), `${name} first`);
      assert.equal(table.length, table.max, `${name} the whole window`);
      for (let slot = 0; slot < table.length; slot++) {
        const held = whole.indexOf(table.first + slot * table.size);
        const want = held < 0 ? new Uint32Array(table.stride) : whole.words.subarray(held * whole.stride, (held + 1) * whole.stride);
        assert.deepEqual(table.words.subarray(slot * table.stride, (slot + 1) * table.stride), want, `${name} slot ${slot}`);
      }
    }
  });

  it('reads each rollup of a model build once', () => {
    // a build from the store at 1,000 checks reads 258,000 rollups: a second pass over them (to
    // size the tables first) was half of its cost
    const random = seededRandom(6);
    let reads = 0;
    const counted = (r: Rollup): Rollup => {
      const { start, ...rest } = r;
      return Object.defineProperty(rest, 'start', { enumerable: true, get: () => (reads++, start) }) as Rollup;
    };
    const hours = Array.from({ length: 50 }, (_, i) => counted(partial('hour', 1000 + i, random)));
    const days = Array.from({ length: 10 }, (_, i) => counted(partial('day', 40 + i, random)));
    const windows = { hour: [T0 + 900 * HOUR_MS, T0 + 1068 * HOUR_MS], day: [T0, T0 + HISTORY_DAYS * DAY_MS] } as const;
    windowedHistories([hours, days], windows);
    assert.equal(reads, hours.length + days.length);
  });
});
