/**
 * Contract of the sessions port: a session is found by its id hash until it expires or is
 * ended, an ended session is gone for every instance at once, and expired ones can be pruned.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecyclePort, SessionsPort } from '../../../src/storage/store.ts';
import { HOUR, T0, useHarness, type OpenHarness } from './suite-kit.ts';

export function sessionsPortSuite(name: string, open: OpenHarness<LifecyclePort & SessionsPort>): void {
  describe(`sessions port: ${name}`, () => {
    const h = useHarness(open);
    const session = (idHash: string, expiresAt: number) => ({ idHash, subject: 'ops:0a1b', createdAt: T0, expiresAt });

    it('finds a session until it expires, and it survives a reopen', async () => {
      const store = h.store();
      await store.createSession(session('a'.repeat(64), T0 + 12 * HOUR));
      assert.deepEqual(await store.findSession('a'.repeat(64), T0 + HOUR), session('a'.repeat(64), T0 + 12 * HOUR));
      assert.equal(await store.findSession('b'.repeat(64), T0 + HOUR), undefined, 'an unknown id');
      assert.equal(await store.findSession('a'.repeat(64), T0 + 12 * HOUR), undefined, 'expired at its expiry');
      const reopened = await h.reopen();
      assert.equal((await reopened.findSession('a'.repeat(64), T0 + HOUR))?.subject, 'ops:0a1b');
    });

    it('an ended session is gone for another instance at once', async () => {
      const store = h.store();
      const other = await h.harness().second();
      await store.createSession(session('c'.repeat(64), T0 + 12 * HOUR));
      assert.equal((await other.findSession('c'.repeat(64), T0 + HOUR))?.subject, 'ops:0a1b', 'visible to the other instance');
      await other.endSession('c'.repeat(64));
      assert.equal(await store.findSession('c'.repeat(64), T0 + HOUR), undefined);
      await store.endSession('c'.repeat(64)); // ending twice is fine
    });

    it('prunes expired sessions only', async () => {
      const store = h.store();
      await store.createSession(session('d'.repeat(64), T0 + HOUR));
      await store.createSession(session('e'.repeat(64), T0 + 3 * HOUR));
      const pruned = await store.pruneSessions(T0 + 2 * HOUR);
      assert.equal(pruned, 1);
      assert.equal((await store.findSession('e'.repeat(64), T0 + 2 * HOUR))?.subject, 'ops:0a1b');
      assert.equal(await store.findSession('d'.repeat(64), T0), undefined, 'pruned even though asked before its expiry');
    });
  });
}
