/**
 * How often the dispatcher claims from the outbox (each claim is a write transaction): a finished
 * delivery claims again only when a message may be waiting behind it. Counted on a real SQLite
 * store; the harness's manual clock never fires the poll timer, so every message sent here was
 * fetched by a wake or by a claim after a delivery.
 */
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { createAlertingHarness, testCheck, type AlertingHarness } from '../../test/support/receivers/alerting-harness.ts';

const checks = [testCheck('api'), testCheck('web')];

/** A webhook receiver that can hold requests until released; records each body's kind and key. */
async function startHoldingReceiver() {
  const got: string[] = [];
  let holding = false;
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const event = JSON.parse(body) as { kind: string; key: string };
      got.push(`${event.kind} ${event.key}`);
      if (holding) held.push(res);
      else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    hold: () => (holding = true),
    release() {
      holding = false;
      for (const res of held.splice(0)) res.end('ok');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits (bounded by turns of the loop, never by a stopwatch) until `done` holds. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.fail(`never happened: ${what}`);
}

describe('outbox claims (SQLite store, local receiver, no poll timer)', () => {
  let receiver: Awaited<ReturnType<typeof startHoldingReceiver>>;
  let harness: AlertingHarness | undefined;
  let dir: string;
  let claims = 0;
  before(async () => {
    receiver = await startHoldingReceiver();
  });
  after(() => receiver.close());
  afterEach(async () => {
    receiver.release();
    receiver.got.length = 0;
    await harness?.close();
    harness = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<AlertingHarness> {
    dir = mkdtempSync(join(tmpdir(), 'upstate-claims-'));
    claims = 0;
    const h = (harness = await createAlertingHarness({
      notifiers: { hook: { kind: 'webhook', url: receiver.url } },
      checks,
      openStore() {
        const store = createSqliteStore({ path: join(dir, 'upstate.db') });
        const claim = store.claimNotifications.bind(store);
        store.claimNotifications = (...args) => {
          claims++;
          return claim(...args);
        };
        return store;
      },
    }));
    await h.alerting.start();
    return h;
  }

  const allSent = async (h: AlertingHarness, n: number) => {
    const list = await h.store.listNotifications();
    return list.length === n && list.every((x) => x.state === 'sent');
  };

  it('a message sent on its own costs one claim (its wake), none after the delivery', async () => {
    const h = await start();
    await until(() => claims >= 1, 'the claim at start');
    const atStart = claims;
    await h.publish([{ check: 'api', status: 'down' }]);
    await until(() => allSent(h, 1), 'FIRING sent');
    await h.publish([{ check: 'api', status: 'up' }]);
    await until(() => allSent(h, 2), 'RESOLVED sent');
    await h.alerting.stop(); // waits for any claim a finished delivery started
    assert.deepEqual(receiver.got, ['firing down:api', 'resolved down:api']);
    assert.equal(claims - atStart, 2, 'one claim per message');
  });

  it('a RESOLVED enqueued while its FIRING is in flight is sent when the FIRING is done, without a poll', async () => {
    const h = await start();
    receiver.hold();
    await h.publish([{ check: 'api', status: 'down' }]);
    await until(() => receiver.got.length === 1, 'FIRING in flight');
    await h.publish([{ check: 'api', status: 'up' }]); // its claim finds it held back behind the FIRING
    receiver.release();
    await until(() => allSent(h, 2), 'both sent');
    assert.deepEqual(receiver.got, ['firing down:api', 'resolved down:api']);
  });

  it('a chain of messages waiting in the outbox at start is sent in order, without a poll', async () => {
    const h = await start();
    await h.publish([{ check: 'web', status: 'down' }]);
    await until(() => allSent(h, 1), 'a real event to copy');
    await h.alerting.stop();
    const [sent] = await h.store.listNotifications();
    const [record] = (await h.store.readAlerts()).filter((r) => r.check === 'web');
    const kinds = ['resolved', 'firing', 'resolved'] as const;
    await h.store.applyAlertTransition({
      record: { ...record, version: record.version + 1 },
      fromVersion: record.version,
      notifications: kinds.map((kind, i) => ({ ...sent, id: `chain-${i}`, event: { ...sent.event, kind }, state: 'pending' as const, attempts: 0, createdAt: sent.createdAt + 1 + i, sentAt: undefined })),
    });
    receiver.got.length = 0;
    await h.alerting.start(); // each is held back behind the one before it
    await until(() => allSent(h, 4), 'the chain sent');
    assert.deepEqual(receiver.got, kinds.map((kind) => `${kind} down:web`));
  });

  it('a backlog larger than one claim is sent in full, without a poll', async () => {
    const many = Array.from({ length: 7 }, (_, i) => testCheck(`svc${i}`));
    dir = mkdtempSync(join(tmpdir(), 'upstate-claims-'));
    const h = (harness = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: receiver.url, concurrency: 2 } }, checks: many, dispatcher: { batch: 3 } }));
    await h.alerting.start();
    await h.publish(many.map((c) => ({ check: c.name, status: 'down' as const })));
    await until(() => allSent(h, 7), 'all seven sent');
    assert.equal(new Set(receiver.got).size, 7);
  });
});
