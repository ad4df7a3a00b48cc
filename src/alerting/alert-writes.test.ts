/**
 * Store writes per round of results: the alert transitions of one round are written in one store
 * call (one transaction on SQLite) and wake the dispatcher once, so its messages go out in one
 * claim; outcomes recorded together (a grouped send, answers arriving together) are one write. Counted on a real SQLite store wrapped to count calls; never timed.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck } from '../../test/support/receivers/alerting-harness.ts';

const COUNTED = ['applyAlertTransition', 'applyAlertTransitions', 'claimNotifications', 'completeNotification', 'completeNotifications'] as const;

/** A real SQLite store whose alert writes and outbox claims are counted. */
function countingStore(path: string) {
  const calls = Object.fromEntries(COUNTED.map((name) => [name, 0])) as Record<(typeof COUNTED)[number], number>;
  const store = createSqliteStore({ path });
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if ((COUNTED as readonly (string | symbol)[]).includes(name)) {
        return (...args: unknown[]) => {
          calls[name as (typeof COUNTED)[number]]++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
  }) as EmbeddedStore;
  return { store: counted, calls };
}

describe('alert writes per round of results (SQLite store, local receiver)', () => {
  let hook: HttpReceiver;
  let dir: string;
  before(async () => {
    hook = await startHttpReceiver();
    dir = mkdtempSync(join(tmpdir(), 'upstate-alert-writes-'));
  });
  after(async () => {
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ten alerts firing, then resolving, in one round each: one transition write per round, one outbox claim per round', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const counting = countingStore(join(dir, 'upstate.db'));
    const h = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: `${hook.url}/hook` } }, checks: names.map((name) => testCheck(name)), openStore: () => counting.store });
    try {
      await h.alerting.start();
      const start = { ...counting.calls };
      await h.publish(names.map((check) => ({ check, status: 'down' as const, failure: { class: 'refused' as const, message: 'connection refused' } })));
      await h.alerting.deliverNow();
      const fired = { writes: counting.calls.applyAlertTransition + counting.calls.applyAlertTransitions - start.applyAlertTransition - start.applyAlertTransitions, claims: counting.calls.claimNotifications - start.claimNotifications };
      assert.equal(hook.delivered().filter((r) => r.json().kind === 'firing').length, 10, 'every alert fired');
      assert.equal((await h.store.readAlerts()).filter((r) => r.state === 'ALARM').length, 10, 'every record stored');
      assert.equal(fired.writes, 1, `transition writes for one round of 10 transitions (was ${fired.writes})`);

      await h.clock.advance(30_000);
      const mid = { ...counting.calls };
      await h.publish(names.map((check) => ({ check, status: 'up' as const })));
      const resolved = () => hook.delivered().filter((r) => r.json().kind === 'resolved').length;
      // sent by the round's wake alone (the manual clock never fires the poll timer); bounded by turns
      for (let i = 0; i < 10_000 && resolved() < 10; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      assert.equal(resolved(), 10, 'every alert resolved');
      await h.alerting.deliverNow();
      assert.equal(counting.calls.applyAlertTransition + counting.calls.applyAlertTransitions - mid.applyAlertTransition - mid.applyAlertTransitions, 1, 'one transition write for the round of resolves');
      // one claim by the round's wake, one by deliverNow's final "anything left?" poll
      const claims = counting.calls.claimNotifications - mid.claimNotifications;
      assert.equal(claims, 2, `outbox claims for a round of 10 resolves (was ${claims})`);
    } finally {
      await h.close();
    }
  });

  it('a grouped send of ten messages records their ten outcomes in one write', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `grp-${i}`);
    const counting = countingStore(join(dir, 'grouped.db'));
    const h = await createAlertingHarness({
      alerts: { grouping: { by: ['rule'], wait: '0s', interval: '0s' } },
      notifiers: { hook: { kind: 'webhook', url: `${hook.url}/grouped` } },
      checks: names.map((name) => testCheck(name)),
      openStore: () => counting.store,
    });
    try {
      await h.alerting.start();
      const sent = hook.delivered().length;
      await h.publish(names.map((check) => ({ check, status: 'down' as const })));
      await h.alerting.deliverNow();
      assert.equal(hook.delivered().length - sent, 1, 'one grouped message');
      const outbox = await h.store.listNotifications();
      assert.equal(outbox.filter((n) => n.state === 'sent').length, 10, 'every message recorded as sent');
      const writes = counting.calls.completeNotification + counting.calls.completeNotifications;
      assert.equal(writes, 1, `outcome writes for one grouped send of 10 (was ${writes})`);
    } finally {
      await h.close();
    }
  });
});
