/**
 * Contract of the subscriptions port: a subscriber is found by id and replaced whole, only
 * confirmed ones are listed, another instance sees a confirmation or an unsubscribe at once,
 * and only expired unconfirmed sign-ups are pruned.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecyclePort, Subscriber, SubscriptionsPort } from '../../../src/storage/store.ts';
import { HOUR, T0, useHarness, type OpenHarness } from './suite-kit.ts';

export function subscriptionsPortSuite(name: string, open: OpenHarness<LifecyclePort & SubscriptionsPort>): void {
  describe(`subscriptions port: ${name}`, () => {
    const h = useHarness(open);
    const pending = (id: string, expiresAt: number): Subscriber => ({
      id,
      email: `${id}@example.com`,
      checks: ['API'],
      groups: ['Core services'],
      confirmed: false,
      confirmHash: 'f'.repeat(64),
      confirmExpiresAt: expiresAt,
      unsubscribeToken: `u-${id}`,
      createdAt: T0,
    });
    const confirmed = (id: string): Subscriber => {
      const { confirmHash: _h, confirmExpiresAt: _e, ...rest } = pending(id, 0);
      return { ...rest, confirmed: true, confirmedAt: T0 + HOUR };
    };

    it('stores a subscriber whole, replaces it by id and keeps it across a reopen', async () => {
      const store = h.store();
      await store.saveSubscriber(pending('a1', T0 + 48 * HOUR));
      assert.deepEqual(await store.getSubscriber('a1'), pending('a1', T0 + 48 * HOUR));
      assert.equal(await store.getSubscriber('zz'), undefined);
      assert.deepEqual(await store.listConfirmedSubscribers(), [], 'a pending sign-up receives nothing');
      await store.saveSubscriber(confirmed('a1'));
      const reopened = await h.reopen();
      assert.deepEqual(await reopened.getSubscriber('a1'), confirmed('a1'));
      assert.deepEqual(await reopened.listConfirmedSubscribers(), [confirmed('a1')]);
      await reopened.deleteSubscriber('a1');
    });

    it('a confirmation and an unsubscribe count for another instance at once', async () => {
      const store = h.store();
      const other = await h.harness().second();
      await store.saveSubscriber(pending('b1', T0 + 48 * HOUR));
      await other.saveSubscriber(confirmed('b1'));
      assert.deepEqual((await store.listConfirmedSubscribers()).map((s) => s.id), ['b1']);
      await store.deleteSubscriber('b1');
      assert.equal(await other.getSubscriber('b1'), undefined);
      assert.deepEqual(await other.listConfirmedSubscribers(), []);
      await other.deleteSubscriber('b1'); // deleting twice is fine
    });

    it('prunes expired unconfirmed sign-ups only', async () => {
      const store = h.store();
      await store.saveSubscriber(pending('c1', T0 + HOUR));
      await store.saveSubscriber(pending('c2', T0 + 3 * HOUR));
      await store.saveSubscriber(confirmed('c3'));
      assert.equal(await store.pruneSubscribers(T0 + 2 * HOUR), 1);
      assert.equal(await store.getSubscriber('c1'), undefined);
      assert.equal((await store.getSubscriber('c2'))?.confirmed, false);
      assert.equal((await store.getSubscriber('c3'))?.confirmed, true, 'a confirmed subscriber never expires');
    });

    it('a notice is claimed by exactly one of two instances racing, and stays claimed after a reopen', async () => {
      const store = h.store();
      const other = await h.harness().second();
      const wins = await Promise.all([store.claimNotice('maintenance-started:mw-1', T0), other.claimNotice('maintenance-started:mw-1', T0)]);
      assert.deepEqual(wins.filter(Boolean).length, 1);
      assert.equal(await store.claimNotice('maintenance-ended:mw-1', T0), true, 'another key is free');
      const reopened = await h.reopen();
      assert.equal(await reopened.claimNotice('maintenance-started:mw-1', T0 + HOUR), false);
    });
  });
}
