import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Silence } from '../domain/alert.ts';
import { silenceMatches } from './silences.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck, T0, type AlertingHarness } from '../../test/support/receivers/alerting-harness.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { createPostgresStore } from '../storage/postgres/postgres-store.ts';

const HOUR = 3_600_000;
const silence = (matchers: Silence['matchers'], extra: Partial<Silence> = {}): Silence => ({
  id: 'sil-1', matchers, startsAt: T0, endsAt: T0 + 2 * HOUR, comment: 'deploy', createdBy: 'ops', createdAt: T0, ...extra,
});

describe('silenceMatches', () => {
  it('matches when every set matcher equals the alert, only while running', () => {
    const api = { check: 'api', group: 'core', rule: 'down', severity: 'critical' };
    assert.equal(silenceMatches(silence({ check: 'api' }), api, T0), true);
    assert.equal(silenceMatches(silence({ group: 'core', rule: 'down' }), api, T0 + HOUR), true);
    assert.equal(silenceMatches(silence({ group: 'core', rule: 'latency' }), api, T0), false);
    assert.equal(silenceMatches(silence({ severity: 'warning' }), api, T0), false);
    assert.equal(silenceMatches(silence({ check: 'api' }), api, T0 + 2 * HOUR), false, 'ended');
    assert.equal(silenceMatches(silence({ check: 'api' }), api, T0 - 1), false, 'not started');
    assert.equal(silenceMatches(silence({}), api, T0), false, 'an empty silence matches nothing');
  });
});

describe('silences hold across a restart and across cluster instances (local receiver)', () => {
  let hook: HttpReceiver;
  let harness: AlertingHarness | undefined;
  let postgres: EmbeddedPostgres | undefined;
  before(async () => {
    hook = await startHttpReceiver();
  });
  after(async () => {
    await hook.close();
    await postgres?.stop();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    hook.requests.length = 0;
  });
  const events = () => hook.delivered().map((r) => `${r.json().kind} ${r.json().key}`);

  it('SQLite: a silence stored before a restart still silences after it, and the alert pages when it ends', async () => {
    const h = (harness = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: hook.url } }, checks: [testCheck('api'), testCheck('web')] }));
    await h.store.saveSilence(silence({ check: 'api' })); // as POST /api/v1/silences stores it
    await h.alerting.stop(); // the process restarts
    const restarted = await h.instance();
    await restarted.alerting.start();
    await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }], restarted.bus);
    await restarted.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:web'], 'api is silenced');
    await h.clock.advance(2 * HOUR); // the silence ends with api still down: it pages now
    await h.publish([{ check: 'api', status: 'down' }, { check: 'web', status: 'down' }], restarted.bus);
    await restarted.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:web', 'firing down:api']);
  });

  it('PostgreSQL, two instances: a silence created through one holds on the other, and expiring it there ends it', async () => {
    postgres = await startEmbeddedPostgres();
    const url = postgres.url;
    const h = (harness = await createAlertingHarness({
      notifiers: { hook: { kind: 'webhook', url: hook.url } },
      checks: [testCheck('api', { group: 'core' })],
      openStore: () => createPostgresStore({ url, maxConnections: 3 }),
    }));
    const b = await h.instance(); // the second instance: own pool, bus and alerting
    await h.alerting.start();
    await b.alerting.start();
    await h.store.saveSilence(silence({ group: 'core', rule: 'down' })); // created on instance 1
    await h.publish([{ check: 'api', status: 'down' }], b.bus); // instance 2 runs the check
    await b.alerting.deliverNow();
    assert.deepEqual(events(), [], 'instance 2 honours the silence made on instance 1');
    await h.clock.advance(30_000);
    await h.store.expireSilence('sil-1', h.clock.now()); // expired on instance 1
    await h.publish([{ check: 'api', status: 'down' }], b.bus);
    await b.alerting.deliverNow();
    assert.deepEqual(events(), ['firing down:api']);
  });
});
