/**
 * Contract of the alerts port: compare-and-set transitions with exactly one concurrent winner,
 * their notifications in the outbox, leased claims, retries and history.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRecord, Notification, Silence } from '../../../src/domain/alert.ts';
import type { AlertsPort, LifecyclePort } from '../../../src/storage/store.ts';
import { pendingNotification, T0, useHarness, type OpenHarness } from './suite-kit.ts';

export function alertsPortSuite(name: string, open: OpenHarness<LifecyclePort & AlertsPort>): void {
  describe(`alerts port: ${name}`, () => {
    const h = useHarness(open);

    it('applies alert transitions with compare-and-set and enqueues their notifications', async () => {
      const store = h.store();
      const record: AlertRecord = {
        key: 'down:api',
        rule: 'down',
        check: 'api',
        state: 'ALARM',
        since: T0,
        evaluations: [true],
        version: 1,
      };
      const notification = (id: string, channel: string): Notification =>
        pendingNotification(id, channel, T0, { key: record.key, rule: 'down', check: 'api', kind: 'firing', state: 'ALARM', title: 'api is down' });
      const other = await h.harness().second();
      const [won, lost] = await Promise.all([
        store.applyAlertTransition({ record, fromVersion: 0, notifications: [notification('n1', 'slack'), notification('n2', 'email')] }),
        // both sides enqueue two, so the retry steps below run whichever side wins the race
        other.applyAlertTransition({ record, fromVersion: 0, notifications: [notification('n3', 'slack'), notification('n4', 'email')] }),
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
      const winnerIds = won ? ['n1', 'n2'] : ['n3', 'n4'];
      assert.deepEqual([...claimedA, ...claimedB].map((n) => n.id).sort(), winnerIds);
      assert.equal(claimedB.length, 0, 'claimed notifications are leased to one owner');
      // lease expiry makes them claimable again; a confirmed one never comes back
      const first = claimedA[0];
      await store.completeNotification(first.id, { sentAt: T0 + 1 });
      const again = await other.claimNotifications('instance-b', T0 + 31_000, 30_000, 10);
      assert.deepEqual(again.map((n) => n.id).sort(), winnerIds.filter((id) => id !== first.id));
      // a failure with a retry time is claimable only from then on, and counts the attempt
      await other.completeNotification(again[0].id, { error: 'HTTP 500', retryAt: T0 + 100_000 });
      assert.equal((await store.claimNotifications('a', T0 + 99_000, 1000, 10)).filter((n) => n.id === again[0].id).length, 0);
      const retried = await store.claimNotifications('a', T0 + 100_000, 1000, 10);
      const entry = retried.find((n) => n.id === again[0].id);
      assert.ok(entry);
      assert.equal(entry.lastError, 'HTTP 500');
      assert.equal(entry.attempts, 1, 'one completed attempt; claims are not attempts');
      const history = await store.listNotifications({ check: 'api' });
      assert.equal(history.length, winnerIds.length);
      assert.equal(history.find((n) => n.id === first.id)?.state, 'sent');
      // a late failure report (an instance whose lease ran out) never reopens a sent notification
      await other.completeNotification(first.id, { error: 'late timeout', retryAt: T0 + 200_000 });
      assert.equal((await store.claimNotifications('a', T0 + 300_000, 1000, 10)).filter((n) => n.id === first.id).length, 0);
      assert.equal((await store.listNotifications({ check: 'api' })).find((n) => n.id === first.id)?.state, 'sent');
      await other.close();
    });

    it('applies a round of transitions in one call: each compare-and-set on its own, a refused one writes nothing', async () => {
      const store = h.store();
      const record = (check: string, version: number): AlertRecord => ({ key: `down:${check}`, rule: 'down', check, state: 'ALARM', since: T0, evaluations: [true], version });
      const message = (id: string, check: string): Notification => ({
        id, channel: 'slack', state: 'pending', attempts: 0, nextAttemptAt: T0, createdAt: T0,
        event: { key: `down:${check}`, rule: 'down', check, kind: 'firing', state: 'ALARM', title: `${check} is down`, summary: 'x', at: T0 },
      });
      assert.deepEqual(await store.applyAlertTransitions([]), []);
      assert.ok(await store.applyAlertTransition({ record: record('r-b', 1), fromVersion: 0, notifications: [] }));
      // keys out of order, the middle one stale: the others are written with their messages
      const applied = await store.applyAlertTransitions([
        { record: record('r-c', 1), fromVersion: 0, notifications: [message('m-c', 'r-c')] },
        { record: record('r-b', 2), fromVersion: 0, notifications: [message('m-b', 'r-b')] },
        { record: record('r-a', 1), fromVersion: 0, notifications: [message('m-a', 'r-a')] },
      ]);
      assert.deepEqual(applied, [true, false, true]);
      const stored = new Map((await store.readAlerts()).map((r) => [r.key, r.version]));
      assert.deepEqual([stored.get('down:r-a'), stored.get('down:r-b'), stored.get('down:r-c')], [1, 1, 1]);
      const claimed = (await store.claimNotifications('a', T0, 30_000, 10)).map((n) => n.id).filter((id) => id.startsWith('m-')).sort();
      assert.deepEqual(claimed, ['m-a', 'm-c'], 'only the applied transitions enqueued');
      assert.deepEqual(await store.applyAlertTransitions([{ record: record('r-b', 2), fromVersion: 1, notifications: [] }]), [true]);

      // several outcomes in one call: sent, retry later, given up
      await store.completeNotifications([]);
      assert.ok(await store.applyAlertTransition({ record: record('r-d', 1), fromVersion: 0, notifications: [message('m-d', 'r-d')] }));
      assert.ok(await store.applyAlertTransition({ record: record('r-e', 1), fromVersion: 0, notifications: [message('m-e', 'r-e')] }));
      await store.completeNotifications([
        { id: 'm-a', outcome: { sentAt: T0 + 1 } },
        { id: 'm-c', outcome: { error: 'HTTP 500', retryAt: T0 + 50_000 } },
        { id: 'm-d', outcome: { error: 'HTTP 400' } },
      ]);
      const states = new Map((await store.listNotifications()).map((n) => [n.id, n]));
      assert.deepEqual(['m-a', 'm-c', 'm-d', 'm-e'].map((id) => [states.get(id)?.state, states.get(id)?.attempts]), [['sent', 1], ['pending', 1], ['failed', 1], ['pending', 0]]);
      const due = (await store.claimNotifications('b', T0 + 50_000, 30_000, 10)).map((n) => n.id).filter((id) => id.startsWith('m-')).sort();
      assert.deepEqual(due, ['m-c', 'm-e'], 'the retried one is due again; the sent and failed ones never are');
    });

    it("delivers each alert's messages per channel in order: a RESOLVED waits until its FIRING is sent or given up", async () => {
      const store = h.store();
      const key = 'down:ordered';
      const record: AlertRecord = { key, rule: 'down', check: 'ordered', state: 'ALARM', since: T0, evaluations: [true], version: 1 };
      // the RESOLVED is stamped earlier than its FIRING (another instance's clock runs behind):
      // order comes from the alert's sequence, never from the clocks of the writers
      const message = (id: string, channel: string, kind: 'firing' | 'resolved', sequence: number, createdAt: number): Notification =>
        pendingNotification(id, channel, createdAt, { key, rule: 'down', check: 'ordered', kind, state: kind === 'firing' ? 'ALARM' : 'OK', sequence });
      assert.ok(await store.applyAlertTransition({ record, fromVersion: 0, notifications: [message('o1', 'slack', 'firing', 1, T0), message('o2', 'email', 'firing', 1, T0)] }));
      const resolved = { ...record, state: 'OK' as const, version: 2 };
      assert.ok(await store.applyAlertTransition({ record: resolved, fromVersion: 1, notifications: [message('o3', 'slack', 'resolved', 2, T0 - 5_000), message('o4', 'email', 'resolved', 2, T0 - 5_000)] }));
      const ids = (list: Notification[]) => list.filter((n) => n.event.key === key).map((n) => n.id).sort();

      assert.deepEqual(ids(await store.claimNotifications('a', T0, 30_000, 10)), ['o1', 'o2'], 'only the FIRINGs are claimable');
      // while a FIRING is leased (in flight) or waiting for its retry, its RESOLVED waits too
      assert.deepEqual(ids(await store.claimNotifications('b', T0 + 1_000, 30_000, 10)), []);
      await store.completeNotification('o1', { error: 'HTTP 500', retryAt: T0 + 60_000 });
      await store.completeNotification('o2', { sentAt: T0 + 1_000 });
      assert.deepEqual(ids(await store.claimNotifications('b', T0 + 2_000, 30_000, 10)), ['o4'], 'the email RESOLVED follows its sent FIRING; slack waits');
      await store.completeNotification('o4', { sentAt: T0 + 2_000 });
      assert.deepEqual(ids(await store.claimNotifications('b', T0 + 60_000, 30_000, 10)), ['o1'], 'the retried FIRING comes first');
      // given up for good (a permanent refusal): the RESOLVED is free to go
      await store.completeNotification('o1', { error: 'HTTP 400' });
      assert.deepEqual(ids(await store.claimNotifications('b', T0 + 61_000, 30_000, 10)), ['o3']);
    });

    it('stores silences across a reopen, lists the active ones and expires them (seen by a second instance)', async () => {
      const silence = (id: string, createdAt: number, endsAt: number): Silence => ({
        id, matchers: { check: 'api', rule: 'down' }, startsAt: createdAt, endsAt, comment: 'deploy', createdBy: 'ops', createdAt,
      });
      await h.store().saveSilence(silence('s1', T0, T0 + 7_200_000));
      await h.store().saveSilence(silence('s2', T0 + 1_000, T0 + 60_000));
      const store = await h.reopen(); // a restart
      const other = await h.harness().second();
      assert.deepEqual((await other.listSilences()).map((s) => s.id), ['s2', 's1'], 'newest first');
      assert.deepEqual((await other.listSilences({ activeAt: T0 + 60_000 })).map((s) => s.id), ['s1'], 'ended silences are not active');
      assert.deepEqual((await store.listSilences())[1], silence('s1', T0, T0 + 7_200_000), 'stored whole');
      const expired = await other.expireSilence('s1', T0 + 120_000);
      assert.equal(expired?.endsAt, T0 + 120_000);
      assert.deepEqual((await store.listSilences({ activeAt: T0 + 120_000 })).map((s) => s.id), [], 'expired for every instance');
      assert.equal((await store.expireSilence('s1', T0 + 999_000))?.endsAt, T0 + 120_000, 'a later expiry never extends it');
      assert.equal(await store.expireSilence('nope', T0), undefined);
      await other.close();
    });
  });
}
