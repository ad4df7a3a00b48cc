/**
 * The whole embedded pipeline with alerting on: a target that goes down and comes back, the real
 * scheduler, SQLite, the alert evaluator and the outbox, and a webhook receiver that must see the
 * outage exactly once and its resolution exactly once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../config/load-config.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { createLogger } from './logger.ts';
import { startNodeServer } from './start-node-server.ts';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers/http-receiver.ts';
import { waitFor as waitForValue } from '../../../test/support/wait-for.ts';

/** Waits until `predicate` holds. */
const waitFor = (what: string, predicate: () => boolean | Promise<boolean>) =>
  waitForValue(what, async () => ((await predicate()) ? true : undefined));


describe('embedded server with alerting', () => {
  let dir: string;
  let target: Server;
  let receiver: HttpReceiver;
  let healthy = true;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-alert-e2e-'));
    receiver = await startHttpReceiver();
    target = createServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => target.close(resolve));
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('notifies an outage once and its resolution once', async () => {
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    const config = parseConfig(
      [
        'checks:',
        `  - name: shop\n    interval: 1s\n    timeout: 900ms\n    downAfter: 2\n    http: { url: "${url}" }`,
        'notifiers:',
        `  ops: { kind: webhook, url: "${receiver.url}/hook" }`,
        'alerts:',
        '  defaults:',
        '    down: {}',
      ].join('\n'),
      join(dir, 'upstate.yaml'),
      { env: {} },
    );
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    await store.migrate();
    const server = await startNodeServer({ config, store, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
    try {
      const bodies = () => receiver.requests.map((r) => JSON.parse(r.body) as { kind?: string; event?: { kind?: string } });
      const kinds = () => bodies().map((b) => b.event?.kind ?? b.kind);
      await waitFor('a first up result', async () => (await store.readStates()).some((s) => s.status === 'up'));
      healthy = false;
      await waitFor('the firing notification', () => kinds().includes('firing'));
      healthy = true;
      await waitFor('the resolved notification', () => kinds().includes('resolved'));
      await new Promise((resolve) => setTimeout(resolve, 2500)); // anything duplicated would arrive now
      assert.deepEqual(kinds(), ['firing', 'resolved']);
      const sent = await store.listNotifications({ check: 'shop' });
      assert.equal(sent.length, 2);
      assert.ok(sent.every((n) => n.state === 'sent'));
    } finally {
      await server.stop();
      await store.close();
    }
  });
});
