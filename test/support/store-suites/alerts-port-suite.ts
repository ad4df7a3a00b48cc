/**
 * Contract of the alerts port: compare-and-set transitions with exactly one concurrent winner,
 * their notifications in the outbox, leased claims, retries and history.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRecord, Notification } from '../../../src/domain/alert.ts';
import type { AlertsPort, LifecyclePort } from '../../../src/storage/store.ts';
import { T0, useHarness, type OpenHarness } from './suite-kit.ts';

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
      const notification = (id: string, channel: string): Notification => ({
        id,
        channel,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        createdAt: T0,
        event: { key: record.key, rule: 'down', check: 'api', kind: 'firing', state: 'ALARM', title: 'api is down', summary: 'x', at: T0 },
      });
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

  });
}
