/**
 * Contract of the credentials port: one credential per (scope, subject), found by hash until revoked.
 * @module
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CredentialsPort, LifecyclePort } from '../../../src/storage/store.ts';
import { T0, useHarness, type OpenHarness } from './suite-kit.ts';

export function credentialsPortSuite(name: string, open: OpenHarness<LifecyclePort & CredentialsPort>): void {
  describe(`credentials port: ${name}`, () => {
    const h = useHarness(open);

    it('saves, finds, replaces and revokes credentials by hash', async () => {
      const store = h.store();
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
  });
}
