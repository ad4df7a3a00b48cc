/**
 * Contract of the results port: raw results newest first and by range, hourly/daily rollups,
 * persistence and retention.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecyclePort, ResultsPort } from '../../../src/storage/store.ts';
import { HISTOGRAM_SIZE } from '../../../src/domain/histogram.ts';
import { DAY, HOUR, T0, result, useHarness, type OpenHarness } from './suite-kit.ts';

export function resultsPortSuite(name: string, open: OpenHarness<LifecyclePort & ResultsPort>): void {
  describe(`results port: ${name}`, () => {
    const h = useHarness(open);

    it('records results and reads them back newest first', async () => {
      const store = h.store();
      const r1 = result('api', T0 + 1000, 'up', 120, { statusCode: 200, timings: { connect: 3, handshake: 7, total: 120 } });
      const r2 = result('api', T0 + 61_000, 'down', 10_000, {
        statusCode: 503,
        failure: { class: 'status', message: 'expected 200-299, got 503' },
      });
      await store.recordResults({ results: [r1, r2], states: [] });
      const recent = await store.readRecentResults('api', { limit: 10 });
      assert.equal(recent.length, 2);
      assert.deepEqual(recent[0], r2);
      assert.deepEqual(recent[1], r1);
      const older = await store.readRecentResults('api', { limit: 10, before: r2.at });
      assert.deepEqual(older, [r1]);
    });

    it('reads raw results in a time range oldest first', async () => {
      const rows = await h.store().readResults('api', T0, T0 + 61_000);
      assert.equal(rows.length, 1, 'the end of the range is exclusive');
      assert.equal(rows[0].at, T0 + 1000);
      const both = await h.store().readResults('api', T0, T0 + 61_001);
      assert.deepEqual(both.map((r) => r.at), [T0 + 1000, T0 + 61_000]);
    });

    it('rolls results up into hourly and daily buckets with histograms and HTTP families', async () => {
      const store = h.store();
      const check = 'rollup';
      const results = [
        result(check, T0 + 10, 'up', 40, { statusCode: 200 }),
        result(check, T0 + 20, 'degraded', 900, { statusCode: 200 }),
        result(check, T0 + 30, 'down', 5, { statusCode: 503 }),
        result(check, T0 + 40, 'down', 7, { statusCode: 429 }),
        result(check, T0 + 50, 'down', 9, { statusCode: 404 }),
        result(check, T0 + HOUR + 5, 'up', 60, { statusCode: 200 }),
        result(check, T0 + 70, 'down', 99, { inMaintenance: true }),
      ];
      // two batches touching the same buckets: the second must merge, not overwrite
      await store.recordResults({ results: results.slice(0, 3), states: [] });
      await store.recordResults({ results: results.slice(3), states: [] });
      const hourly = await store.readRollups([check], 'hour', T0, T0 + DAY);
      assert.equal(hourly.length, 2);
      const [first, second] = hourly;
      assert.equal(first.start, T0);
      assert.equal(first.count, 5, 'maintenance results are not counted');
      assert.equal(first.ok, 2);
      assert.equal(first.latencySum, 40 + 900 + 5 + 7 + 9);
      assert.equal(first.latencyMin, 5);
      assert.equal(first.latencyMax, 900);
      assert.equal(first.http5xx, 1);
      assert.equal(first.http429, 1);
      assert.equal(first.http4xx, 1);
      assert.equal(first.histogram.length, HISTOGRAM_SIZE);
      assert.equal(first.histogram.reduce((a, b) => a + b, 0), 5);
      assert.equal(second.start, T0 + HOUR);
      assert.equal(second.count, 1);
      const daily = await store.readRollups([check], 'day', T0, T0 + DAY);
      assert.equal(daily.length, 1);
      assert.equal(daily[0].count, 6);
      assert.equal(daily[0].ok, 3);
      // raw results keep even the maintenance one
      assert.equal((await store.readResults(check, T0, T0 + DAY)).length, 7);
    });

    it('counts degraded results and results during maintenance in the rollups', async () => {
      const store = h.store();
      const check = 'traces';
      const at = (m: number) => T0 + 2 * DAY + m * 60_000;
      await store.recordResults({
        results: [
          result(check, at(1), 'up', 80),
          result(check, at(2), 'degraded', 1500),
          result(check, at(3), 'degraded', 1600),
          result(check, at(4), 'down', 10_000),
          result(check, at(5), 'down', 10_000, { inMaintenance: true }),
          result(check, at(6), 'up', 90, { inMaintenance: true }),
        ],
        states: [],
      });
      // a second batch merges into the same buckets
      await store.recordResults({ results: [result(check, at(7), 'degraded', 1700), result(check, at(8), 'up', 50, { inMaintenance: true })], states: [] });
      for (const resolution of ['hour', 'day'] as const) {
        const [r] = await store.readRollups([check], resolution, T0 + 2 * DAY, T0 + 3 * DAY);
        assert.deepEqual([r.count, r.ok, r.degraded, r.maintenance], [5, 4, 3, 3], resolution);
      }
    });

    it('reads rollups for several checks in one call and only inside the range', async () => {
      const store = h.store();
      await store.recordResults({
        results: [result('a', T0 + 2 * DAY + 1, 'up', 10), result('b', T0 + 2 * DAY + 2, 'down', 10), result('c', T0 + 2 * DAY + 3, 'up', 10)],
        states: [],
      });
      const rows = await store.readRollups(['a', 'b'], 'day', T0 + 2 * DAY, T0 + 3 * DAY);
      assert.deepEqual(rows.map((r) => r.check).sort(), ['a', 'b']);
      assert.equal((await store.readRollups(['a'], 'day', T0 + 3 * DAY, T0 + 4 * DAY)).length, 0);
      assert.equal((await store.readRollups([], 'day', 0, Number.MAX_SAFE_INTEGER)).length, 0);
    });

    it('keeps results and rollups across a reopen', async () => {
      const store = await h.reopen();
      const recent = await store.readRecentResults('api', { limit: 1 });
      assert.equal(recent[0]?.statusCode, 503);
      assert.equal((await store.readRollups(['rollup'], 'day', T0, T0 + DAY))[0]?.count, 6);
    });

    it('applies retention to raw results and rollups separately', async () => {
      const store = h.store();
      const check = 'old';
      await store.recordResults({
        results: [result(check, T0 - 40 * DAY, 'up', 10), result(check, T0 - 3 * DAY, 'up', 10), result(check, T0 - HOUR, 'up', 10)],
        states: [],
      });
      const report = await store.applyRetention(T0, { rawMs: 2 * DAY, hourlyMs: 30 * DAY, dailyMs: 400 * DAY });
      assert.ok(report.rawDeleted >= 2, `rawDeleted ${report.rawDeleted}`);
      assert.ok(report.hourlyDeleted >= 1, `hourlyDeleted ${report.hourlyDeleted}`);
      assert.equal(report.dailyDeleted, 0);
      const raw = await store.readResults(check, 0, T0 + DAY);
      assert.deepEqual(raw.map((r) => r.at), [T0 - HOUR]);
      const daily = await store.readRollups([check], 'day', 0, T0 + DAY);
      assert.equal(daily.length, 3, 'daily rollups outlive raw results');
      const hourly = await store.readRollups([check], 'hour', 0, T0 + DAY);
      assert.equal(hourly.length, 2);
    });
  });
}
