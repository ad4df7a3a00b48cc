/**
 * The shared store test suite: every `Store` implementation runs exactly these cases against a
 * real engine (SQLite file, embedded PostgreSQL, dynalite). Call it from a `*.test.ts` beside the
 * implementation:
 *
 *   storeSuite('sqlite', async () => { const store = …; return { store, reopen, cleanup }; });
 * @module
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.ts';
import type { CheckResult } from '../../src/domain/result.ts';
import type { CheckState } from '../../src/domain/status.ts';
import type { Incident } from '../../src/domain/incident.ts';
import type { AlertRecord, Notification } from '../../src/domain/alert.ts';
import { HISTOGRAM_SIZE } from '../../src/domain/histogram.ts';

export interface StoreHarness {
  store: Store;
  /** Closes the store and opens a new instance over the same data (persistence check). */
  reopen(): Promise<Store>;
  /** Opens a second, independent instance over the same data (concurrency check). */
  second(): Promise<Store>;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A fixed, hour-aligned base time so bucket assertions are exact. */
const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);

function result(check: string, at: number, status: CheckResult['status'], latencyMs: number, extra: Partial<CheckResult> = {}): CheckResult {
  return { check, at, status, latencyMs, ...extra };
}

function state(check: string, status: CheckState['status'], lastResult?: CheckResult): CheckState {
  return { check, status, since: lastResult?.at ?? T0, lastResult, streak: 0 };
}

export function storeSuite(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    before(async () => {
      harness = await open();
      store = harness.store;
      await store.migrate();
      await store.migrate(); // idempotent
    });
    after(async () => {
      await harness.cleanup();
    });

    it('records results with states and reads them back newest first', async () => {
      const r1 = result('api', T0 + 1000, 'up', 120, { statusCode: 200, timings: { connect: 3, total: 120 } });
      const r2 = result('api', T0 + 61_000, 'down', 10_000, {
        statusCode: 503,
        failure: { class: 'status', message: 'expected 200-299, got 503' },
      });
      await store.recordResults({ results: [r1, r2], states: [state('api', 'down', r2)] });
      const recent = await store.readRecentResults('api', { limit: 10 });
      assert.equal(recent.length, 2);
      assert.deepEqual(recent[0], r2);
      assert.deepEqual(recent[1], r1);
      const older = await store.readRecentResults('api', { limit: 10, before: r2.at });
      assert.deepEqual(older, [r1]);
      const states = await store.readStates();
      const api = states.find((s) => s.check === 'api');
      assert.equal(api?.status, 'down');
      assert.deepEqual(api?.lastResult, r2);
    });

    it('round-trips per-region state of multi-region checks', async () => {
      const r = result('multi', T0 + 5000, 'down', 30, { region: 'eu-west' });
      const multi: CheckState = {
        ...state('multi', 'up', r),
        lastFailure: { class: 'timeout', message: 'no answer within 10000 ms', at: T0 - 60_000 },
        regions: {
          local: { status: 'up', at: T0 + 4000, latencyMs: 12 },
          'eu-west': { status: 'down', at: T0 + 5000, latencyMs: 30, failure: { class: 'refused', message: 'connection refused' } },
          'us-east': { status: 'stale', at: T0 - 600_000 },
        },
      };
      await store.recordResults({ results: [r], states: [multi] });
      const read = (await store.readStates()).find((s) => s.check === 'multi');
      assert.deepEqual(read, multi);
      assert.equal((await store.readRecentResults('multi', { limit: 1 }))[0].region, 'eu-west');
    });

    it('reads raw results in a time range oldest first', async () => {
      const rows = await store.readResults('api', T0, T0 + 61_000);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].at, T0 + 1000);
    });

    it('rolls results up into hourly and daily buckets with histograms and HTTP families', async () => {
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
      await store.recordResults({ results: results.slice(3), states: [state(check, 'up', results[5])] });
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

    it('reads rollups for several checks in one call and only inside the range', async () => {
      await store.recordResults({
        results: [result('a', T0 + 2 * DAY + 1, 'up', 10), result('b', T0 + 2 * DAY + 2, 'down', 10), result('c', T0 + 2 * DAY + 3, 'up', 10)],
        states: [],
      });
      const rows = await store.readRollups(['a', 'b'], 'day', T0 + 2 * DAY, T0 + 3 * DAY);
      assert.deepEqual(rows.map((r) => r.check).sort(), ['a', 'b']);
      assert.equal((await store.readRollups(['a'], 'day', T0 + 3 * DAY, T0 + 4 * DAY)).length, 0);
      assert.equal((await store.readRollups([], 'day', 0, Number.MAX_SAFE_INTEGER)).length, 0);
    });

    it('keeps results and states across a reopen', async () => {
      store = await harness.reopen();
      const recent = await store.readRecentResults('api', { limit: 1 });
      assert.equal(recent[0]?.statusCode, 503);
      assert.equal((await store.readStates()).find((s) => s.check === 'api')?.status, 'down');
    });

    it('applies retention to raw results and rollups separately', async () => {
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

    it('stores heartbeats and returns the latest', async () => {
      assert.equal(await store.readLastHeartbeat('cron'), undefined);
      await store.recordHeartbeat({ check: 'cron', at: T0, ok: true });
      await store.recordHeartbeat({ check: 'cron', at: T0 + 5000, ok: false, message: 'exit 1' });
      await store.recordHeartbeat({ check: 'cron', at: T0 + 1000, ok: true });
      assert.deepEqual(await store.readLastHeartbeat('cron'), { check: 'cron', at: T0 + 5000, ok: false, message: 'exit 1' });
    });

    it('saves, finds, replaces and revokes credentials by hash', async () => {
      await store.saveCredential({ scope: 'heartbeat', subject: 'cron', hash: 'aa', createdAt: T0 });
      await store.saveCredential({ scope: 'agent', subject: 'eu-west', hash: 'aa', createdAt: T0 });
      assert.equal((await store.findCredential('heartbeat', 'aa'))?.subject, 'cron');
      assert.equal((await store.findCredential('heartbeat', 'bb')), undefined);
      await store.saveCredential({ scope: 'heartbeat', subject: 'cron', hash: 'bb', createdAt: T0 + 1 });
      assert.equal(await store.findCredential('heartbeat', 'aa'), undefined, 'replaced hash no longer matches');
      assert.equal((await store.findCredential('heartbeat', 'bb'))?.subject, 'cron');
      await store.revokeCredential('agent', 'eu-west', T0 + 2);
      assert.equal(await store.findCredential('agent', 'aa'), undefined);
      const agents = await store.listCredentials('agent');
      assert.equal(agents.length, 1);
      assert.equal(agents[0].revokedAt, T0 + 2);
    });

    it('saves, lists and deletes incidents with their updates', async () => {
      const incident: Incident = {
        id: 'inc-1',
        kind: 'incident',
        title: 'API errors',
        status: 'investigating',
        impact: 'major',
        checks: ['api'],
        createdAt: T0,
        updatedAt: T0,
        source: 'api',
        updates: [{ id: 'u1', status: 'investigating', body: 'Looking into it', at: T0 }],
      };
      const maintenance: Incident = {
        ...incident,
        id: 'mnt-1',
        kind: 'maintenance',
        title: 'DB upgrade',
        status: 'scheduled',
        impact: 'maintenance',
        createdAt: T0 + 1000,
        updatedAt: T0 + 1000,
        scheduledFor: T0 + DAY,
        scheduledUntil: T0 + DAY + HOUR,
        source: 'config',
        updates: [],
      };
      await store.saveIncident(incident);
      await store.saveIncident(maintenance);
      const resolved: Incident = {
        ...incident,
        status: 'resolved',
        resolvedAt: T0 + 2 * HOUR,
        updatedAt: T0 + 2 * HOUR,
        updates: [...incident.updates, { id: 'u2', status: 'resolved', body: 'Fixed', at: T0 + 2 * HOUR }],
      };
      await store.saveIncident(resolved);
      assert.deepEqual(await store.getIncident('inc-1'), resolved);
      assert.deepEqual((await store.listIncidents()).map((i) => i.id), ['mnt-1', 'inc-1']);
      assert.deepEqual((await store.listIncidents({ since: T0 + HOUR })).map((i) => i.id), ['inc-1']);
      assert.equal((await store.listIncidents({ limit: 1 })).length, 1);
      await store.deleteIncident('mnt-1');
      assert.equal(await store.getIncident('mnt-1'), undefined);
    });

    it('applies alert transitions with compare-and-set and enqueues their notifications', async () => {
      const record: AlertRecord = {
        key: 'down:api',
        rule: 'down',
        check: 'api',
        state: 'ALARM',
        since: T0,
        evaluations: [true],
        version: 1,
      };
      const notification = (id: string, channel: string): Notification => ({
        id,
        channel,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        createdAt: T0,
        event: { key: record.key, rule: 'down', check: 'api', kind: 'firing', state: 'ALARM', title: 'api is down', summary: 'x', at: T0 },
      });
      const other = await harness.second();
      const [won, lost] = await Promise.all([
        store.applyAlertTransition({ record, fromVersion: 0, notifications: [notification('n1', 'slack'), notification('n2', 'email')] }),
        other.applyAlertTransition({ record, fromVersion: 0, notifications: [notification('n3', 'slack')] }),
      ]);
      assert.equal(Number(won) + Number(lost), 1, 'exactly one concurrent writer wins');
      const alerts = await store.readAlerts();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].version, 1);
      assert.equal(await store.applyAlertTransition({ record: { ...record, version: 2 }, fromVersion: 0, notifications: [] }), false);
      assert.equal(await store.applyAlertTransition({ record: { ...record, state: 'OK', version: 2 }, fromVersion: 1, notifications: [] }), true);
      assert.equal((await store.readAlerts())[0].state, 'OK');

      // the outbox holds only the winner's notifications
      const claimedA = await store.claimNotifications('instance-a', T0, 30_000, 10);
      const claimedB = await other.claimNotifications('instance-b', T0, 30_000, 10);
      const winnerIds = won ? ['n1', 'n2'] : ['n3'];
      assert.deepEqual([...claimedA, ...claimedB].map((n) => n.id).sort(), winnerIds);
      assert.equal(claimedB.length, 0, 'claimed notifications are leased to one owner');
      // lease expiry makes them claimable again; a confirmed one never comes back
      const first = claimedA[0];
      await store.completeNotification(first.id, { sentAt: T0 + 1 });
      const again = await other.claimNotifications('instance-b', T0 + 31_000, 30_000, 10);
      assert.deepEqual(again.map((n) => n.id).sort(), winnerIds.filter((id) => id !== first.id));
      // a failure with a retry time is claimable only from then on, and counts the attempt
      if (again.length) {
        await other.completeNotification(again[0].id, { error: 'HTTP 500', retryAt: T0 + 100_000 });
        assert.equal((await store.claimNotifications('a', T0 + 99_000, 1000, 10)).filter((n) => n.id === again[0].id).length, 0);
        const retried = await store.claimNotifications('a', T0 + 100_000, 1000, 10);
        const entry = retried.find((n) => n.id === again[0].id);
        assert.ok(entry);
        assert.equal(entry.lastError, 'HTTP 500');
        assert.ok(entry.attempts >= 1);
      }
      const history = await store.listNotifications({ check: 'api' });
      assert.equal(history.length, winnerIds.length);
      assert.equal(history.find((n) => n.id === first.id)?.state, 'sent');
      await other.close();
    });

    it('shares the schedule: each due check is claimed by exactly one owner per interval', async () => {
      await store.syncSchedule([
        { check: 's1', intervalMs: 60_000, nextDueAt: T0 },
        { check: 's2', intervalMs: 60_000, nextDueAt: T0 + 30_000 },
        { check: 'gone', intervalMs: 60_000, nextDueAt: T0 },
      ]);
      await store.syncSchedule([
        { check: 's1', intervalMs: 60_000, nextDueAt: T0 },
        { check: 's2', intervalMs: 60_000, nextDueAt: T0 + 30_000 },
      ]);
      const other = await harness.second();
      const [a, b] = await Promise.all([
        store.claimDueChecks('a', T0 + 1000, 20_000, 10),
        other.claimDueChecks('b', T0 + 1000, 20_000, 10),
      ]);
      assert.deepEqual([...a, ...b].map((c) => c.check), ['s1'], 'only due, configured checks; once');
      assert.equal([...a, ...b][0].dueAt, T0);
      assert.equal((await store.claimDueChecks('a', T0 + 31_000, 20_000, 10)).map((c) => c.check).join(), 's2');
      assert.equal((await store.claimDueChecks('a', T0 + 40_000, 20_000, 10)).length, 0, 'nothing due twice in one interval');
      const next = await other.claimDueChecks('b', T0 + 61_000, 20_000, 10);
      assert.deepEqual(next.map((c) => c.check), ['s1']);
      assert.equal(next[0].dueAt, T0 + 60_000);
      await other.close();
    });
  });
}
