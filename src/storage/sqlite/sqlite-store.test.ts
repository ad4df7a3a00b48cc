import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CheckResult } from '../../domain/result.ts';
import type { EmbeddedStore, SchedulePort } from '../store.ts';
import { embeddedStoreSuites, type PortHarness } from '../../../test/support/store-suite.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { openDatabase } from './database.ts';

/** A store over a new file in a data directory that does not exist yet, as on a first start. */
async function openHarness(): Promise<PortHarness<EmbeddedStore>> {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-sqlite-'));
  const path = join(dir, 'data', 'upstate.db');
  const opened: EmbeddedStore[] = [];
  const open = () => {
    const store = createSqliteStore({ path });
    opened.push(store);
    return store;
  };
  let store = open();
  return {
    store,
    async reopen() {
      await store.close();
      store = open();
      return store;
    },
    async second() {
      return open();
    },
    async cleanup() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// SQLite serves embedded mode only: every port but the shared schedule (see the first case below)
embeddedStoreSuites('sqlite', openHarness);

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 1);

/** A fresh temp dir holding one database file; removed by the returned cleanup. */
function tempDb(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-sqlite-'));
  return { path: join(dir, 'upstate.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function minuteResults(check: string, from: number, count: number, extra: Partial<CheckResult> = {}): CheckResult[] {
  return Array.from({ length: count }, (_, i) => ({
    check,
    at: from + i * 60_000,
    status: i % 10 === 9 ? 'down' : 'up',
    latencyMs: 50 + (i % 13),
    statusCode: i % 10 === 9 ? 503 : 200,
    ...extra,
  }));
}

describe('sqlite store specifics', () => {
  it('has no shared schedule: embedded mode schedules in process', async () => {
    const db = tempDb();
    const store = createSqliteStore({ path: db.path });
    try {
      await store.migrate();
      for (const method of ['syncSchedule', 'claimDueChecks']) assert.equal(method in store, false, method);
      // the type says so too: a schedule port suite does not accept this store
      // @ts-expect-error EmbeddedStore has no SchedulePort
      const typed: SchedulePort = store;
      assert.equal(typeof typed, 'object');
    } finally {
      await store.close();
      db.cleanup();
    }
  });

  it('migrates an empty file once, however many instances migrate it', async () => {
    const db = tempDb();
    try {
      const a = createSqliteStore({ path: db.path });
      const b = createSqliteStore({ path: db.path });
      await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
      await b.close();
      const reopened = createSqliteStore({ path: db.path });
      await reopened.migrate();
      // a file written by one instance is read by another without an explicit migrate()
      await a.recordResults({ results: minuteResults('x', T0, 1), states: [] });
      await a.close();
      assert.equal((await reopened.readRecentResults('x', { limit: 5 })).length, 1);
      await reopened.close();
      const raw = new Database(db.path, { readonly: true });
      const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      assert.deepEqual(versions.map((v) => v.version), MIGRATIONS.map((m) => m.version));
      assert.equal((raw.pragma('journal_mode', { simple: true }) as string).toLowerCase(), 'wal');
      raw.close();
    } finally {
      db.cleanup();
    }
  });

  it('migrates safely when two processes open a new file at the same moment', async () => {
    const db = tempDb();
    try {
      const script = `
        import { createSqliteStore } from ${JSON.stringify(new URL('./sqlite-store.ts', import.meta.url).href)};
        const store = createSqliteStore({ path: process.argv[1] });
        await store.migrate();
        await store.recordResults({ results: [{ check: 'p', at: Number(process.argv[2]), status: 'up', latencyMs: 1 }], states: [] });
        await store.close();`;
      const run = (at: number) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, db.path, String(at)], {
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          const timer = setTimeout(() => child.kill(), 20_000);
          child.on('error', reject);
          child.on('exit', (code) => {
            clearTimeout(timer);
            resolve(code);
          });
        });
      assert.deepEqual(await Promise.all([run(T0), run(T0 + 1)]), [0, 0]);
      const store = createSqliteStore({ path: db.path });
      assert.deepEqual((await store.readResults('p', T0, T0 + 2)).map((r) => r.at), [T0, T0 + 1]);
      const [hourly] = await store.readRollups(['p'], 'hour', T0, T0 + HOUR);
      assert.equal(hourly.count, 2, 'both processes merged into one rollup');
      await store.close();
    } finally {
      db.cleanup();
    }
  });

  it('packs closed hours into blocks and reads across blocks and recent rows seamlessly', async () => {
    const db = tempDb();
    const store = createSqliteStore({ path: db.path });
    try {
      const eu = minuteResults('web', T0, 180, { region: 'eu' });
      const us = minuteResults('web', T0, 180, { region: 'us', latencyMs: 99 });
      // one batch per minute, as the writer does
      for (let i = 0; i < 180; i++) await store.recordResults({ results: [eu[i], us[i]], states: [] });
      const raw = new Database(db.path, { readonly: true });
      const count = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
      assert.equal(count('SELECT count(*) AS n FROM result_blocks'), 2, 'hours 0 and 1 are packed');
      assert.equal(count('SELECT count(*) AS n FROM results_recent'), 120, 'the open hour stays as rows');

      const all = [...eu, ...us].sort((a, b) => a.at - b.at || (a.region === 'eu' ? -1 : 1));
      assert.deepEqual(await store.readResults('web', T0, T0 + 3 * HOUR), all);
      // a range cutting through a block on both sides
      const from = T0 + 30 * 60_000;
      const to = T0 + 150 * 60_000;
      assert.deepEqual(await store.readResults('web', from, to), all.filter((r) => r.at >= from && r.at < to));
      // newest first across the recent rows and two blocks, paging with `before`
      const newest = [...all].reverse();
      assert.deepEqual(await store.readRecentResults('web', { limit: 200 }), newest.slice(0, 200));
      for (const [minute, limit] of [[61, 5], [61, 100], [150, 150], [30, 1000]]) {
        const before = T0 + minute * 60_000 + 1;
        assert.deepEqual(
          await store.readRecentResults('web', { limit, before }),
          newest.filter((r) => r.at < before).slice(0, limit),
          `limit ${limit} before minute ${minute}`,
        );
      }

      // a straggler for a packed hour, and a re-sent duplicate of a recent result
      const late: CheckResult = { check: 'web', at: T0 + 30_000, status: 'down', latencyMs: 5, region: 'eu' };
      await store.recordResults({ results: [late, eu[179]], states: [] });
      const hours = await store.readRollups(['web'], 'hour', T0, T0 + 3 * HOUR);
      assert.deepEqual(hours.map((h) => h.count), [121, 120, 120], 'the straggler counts, the duplicate does not');
      // the next hour boundary packs the straggler into its existing block
      await store.recordResults({ results: minuteResults('web', T0 + 3 * HOUR + 6 * 60_000, 1), states: [] });
      assert.equal(count('SELECT count(*) AS n FROM results_recent WHERE at < ' + (T0 + 3 * HOUR)), 0);
      assert.equal(count(`SELECT n FROM result_blocks WHERE hour = ${T0 / HOUR}`), 121);
      raw.close();
      const firstMinute = await store.readResults('web', T0, T0 + 60_000);
      assert.deepEqual(firstMinute, [eu[0], us[0], late]);

      const report = await store.applyRetention(T0 + 2 * HOUR + 10, { rawMs: HOUR, hourlyMs: HOUR, dailyMs: 400 * 24 * HOUR });
      assert.equal(report.rawDeleted, 121, 'whole packed hours that ended before the cutoff');
      assert.equal(report.hourlyDeleted, 1);
      assert.equal((await store.readResults('web', 0, T0 + HOUR)).length, 0);
      assert.equal((await store.readResults('web', T0 + HOUR, T0 + 2 * HOUR)).length, 120);
    } finally {
      await store.close();
      db.cleanup();
    }
  });

  it('applies retention in a fixed number of statements, however many checks there are', async (t) => {
    const db = tempDb();
    const store = createSqliteStore({ path: db.path });
    try {
      const checks = Array.from({ length: 500 }, (_, i) => `c${i}`);
      // two packed hours and one recent for each check, so every table has rows to keep and delete
      for (const hour of [0, 1, 2]) {
        await store.recordResults({ results: checks.flatMap((check) => minuteResults(check, T0 + hour * HOUR, 2)), states: [] });
      }
      await store.recordResults({ results: checks.flatMap((check) => minuteResults(check, T0 + 3 * HOUR + 6 * 60_000, 1)), states: [] });
      const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<'run' | 'get' | 'all' | 'iterate', () => unknown>;
      const calls = (['run', 'get', 'all', 'iterate'] as const).map((name) => t.mock.method(statement, name));
      const report = await store.applyRetention(T0 + 2 * HOUR + 10, { rawMs: HOUR, hourlyMs: HOUR, dailyMs: 400 * 24 * HOUR });
      const made = calls.reduce((sum, call) => sum + call.mock.callCount(), 0);
      assert.deepEqual(report, { rawDeleted: 2 * 500, hourlyDeleted: 500, dailyDeleted: 0 });
      // 7 with the transaction's own; one statement per check and table from JavaScript was
      // 2,004 here (~300,000 at 100,000 checks)
      assert.ok(made <= 10, `${made} statements`);
      assert.equal((await store.readResults('c7', T0, T0 + 4 * HOUR)).length, 5);
    } finally {
      await store.close();
      db.cleanup();
    }
  });

  it('round-trips unusual results exactly, as rows and after packing', async () => {
    const db = tempDb();
    const store = createSqliteStore({ path: db.path });
    try {
      const odd: CheckResult[] = [
        { check: 'odd', at: T0 + 1, status: 'degraded', latencyMs: 1500.25, statusCode: 200, timings: { dns: 0.5, connect: 3, firstByte: 1400.125, total: 1500.25 } },
        { check: 'odd', at: T0 + 2, status: 'down', latencyMs: 3, region: 'eu', failure: { class: 'tls', message: 'certificate expired' }, inMaintenance: true },
        { check: 'odd', at: T0 + 3, status: 'up', latencyMs: 7, inMaintenance: false, details: { certExpiresAt: 1_900_000_000_000, answers: ['::1'] } },
        { check: 'odd', at: T0 + 4, status: 'down', latencyMs: 9, failure: { class: 'novel' as never, message: 'from a newer probe' }, timings: { total: 12 } },
      ];
      await store.recordResults({ results: odd, states: [] });
      assert.deepEqual(await store.readResults('odd', T0, T0 + HOUR), odd);
      await store.recordResults({ results: minuteResults('odd', T0 + 2 * HOUR, 1), states: [] });
      const raw = new Database(db.path, { readonly: true });
      assert.equal((raw.prepare('SELECT count(*) AS n FROM result_blocks').get() as { n: number }).n, 1);
      raw.close();
      assert.deepEqual(await store.readResults('odd', T0, T0 + HOUR), odd);
      assert.deepEqual(await store.readRecentResults('odd', { limit: 2, before: T0 + HOUR }), [odd[3], odd[2]]);
    } finally {
      await store.close();
      db.cleanup();
    }
  });

  it('pages newest-first reads through many packed hours', async () => {
    const db = tempDb();
    const store = createSqliteStore({ path: db.path });
    try {
      const all = minuteResults('long', T0, 11 * 60);
      for (let i = 0; i < all.length; i += 30) await store.recordResults({ results: all.slice(i, i + 30), states: [] });
      const newest = [...all].reverse();
      // `before` inside a packed hour: that block only partly counts towards the limit
      for (const [minute, limit] of [[9 * 60 + 30, 470], [9 * 60 + 30, 2], [60, 1000], [11 * 60, 600]]) {
        const before = T0 + minute * 60_000 + 1;
        const expected = newest.filter((r) => r.at < before).slice(0, limit);
        const got = await store.readRecentResults('long', { limit, before });
        assert.equal(got.length, expected.length, `limit ${limit} before minute ${minute}`);
        assert.deepEqual(got, expected);
      }
    } finally {
      await store.close();
      db.cleanup();
    }
  });

  it('keeps rollup latencies at the probes\' precision in integer columns, and migrates older files to them', async () => {
    const db = tempDb();
    try {
      // a file at schema version 1 held fractional milliseconds as 8-byte REALs
      const v1 = openDatabase({ path: db.path });
      migrate(v1, MIGRATIONS.slice(0, 1));
      v1.db.prepare(`INSERT INTO names (id, name) VALUES (1, 'old')`).run();
      v1.db
        .prepare(`INSERT INTO rollups_hour VALUES (1, ?, 2, 2, 246.91, 123.45, 123.46, x'', 0, 0, 0)`)
        .run(T0 / HOUR);
      v1.db.close();

      const store = createSqliteStore({ path: db.path });
      await store.migrate();
      const [old] = await store.readRollups(['old'], 'hour', T0, T0 + HOUR);
      assert.deepEqual([old.latencySum, old.latencyMin, old.latencyMax], [246.91, 123.45, 123.46]);
      await store.recordResults({
        results: [
          { check: 'new', at: T0, status: 'up', latencyMs: 12.34 },
          { check: 'new', at: T0 + 60_000, status: 'up', latencyMs: 0.07 },
        ],
        states: [],
      });
      const [fresh] = await store.readRollups(['new'], 'hour', T0, T0 + HOUR);
      assert.deepEqual([fresh.latencySum, fresh.latencyMin, fresh.latencyMax], [12.41, 0.07, 12.34]);
      await store.close();

      const raw = new Database(db.path, { readonly: true });
      const types = raw.prepare(`SELECT DISTINCT typeof(latency_sum), typeof(latency_min), typeof(latency_max) FROM rollups_hour`).raw().all();
      assert.deepEqual(types, [['integer', 'integer', 'integer']]);
      raw.close();
    } finally {
      db.cleanup();
    }
  });
});
