import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHeartbeatProbe, formatAge, heartbeatProbe, type HeartbeatDetails, type HeartbeatProbeConfig } from './heartbeat-probe.ts';
import { createPushHandler } from './push.ts';
import { hashHeartbeatToken } from './heartbeat-token.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { HeartbeatPing, EmbeddedStore } from '../../storage/store.ts';
import type { ProbeContext } from '../probe.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const config = (input: Record<string, unknown>): HeartbeatProbeConfig => heartbeatProbe.schema.parse(input);

function context(check: string, now: number, ping?: HeartbeatPing): ProbeContext {
  return { check, signal: new AbortController().signal, timeoutMs: 1000, now: () => now, lastHeartbeat: async () => ping };
}
const detailsOf = (details: Record<string, unknown> | undefined) => details?.heartbeat as HeartbeatDetails;

describe('heartbeat probe', () => {
  const fiveMinutes = config({ period: '5m', grace: '1m' });

  it('is up while the last ok ping is within period + grace, with the facts in details', async () => {
    const probe = createHeartbeatProbe();
    const ping = { check: 'backup', at: T0, ok: true };
    const outcome = await probe.run(fiveMinutes, context('backup', T0 + 6 * MIN, ping));
    assert.equal(outcome.ok, true, outcome.failure?.message);
    assert.deepEqual(detailsOf(outcome.details), { periodMs: 5 * MIN, graceMs: MIN, lastPingAt: T0, ageMs: 6 * MIN, lastPingOk: true });
  });

  it('is down (timeout) once the last ping is older than period + grace', async () => {
    const probe = createHeartbeatProbe();
    const outcome = await probe.run(fiveMinutes, context('backup', T0 + 7 * MIN, { check: 'backup', at: T0, ok: true }));
    assert.equal(outcome.ok, false);
    assert.deepEqual(outcome.failure, { class: 'timeout', message: 'no ping for 7m (period 5m + grace 1m)' });
    const justLate = await probe.run(fiveMinutes, context('backup', T0 + 6 * MIN + 1, { check: 'backup', at: T0, ok: true }));
    assert.equal(justLate.failure?.class, 'timeout');
  });

  it('is down (body) with the job message when the last ping reported failure', async () => {
    const probe = createHeartbeatProbe();
    const ping = { check: 'backup', at: T0, ok: false, message: 'disk full' };
    const outcome = await probe.run(fiveMinutes, context('backup', T0 + 90_000, ping));
    assert.equal(outcome.failure?.class, 'body');
    assert.equal(outcome.failure?.message, 'job reported failure 1m30s ago: disk full');
    assert.equal(detailsOf(outcome.details).message, 'disk full');
  });

  it('gives a never-pinged check period + grace from its first run, per check', async () => {
    const probe = createHeartbeatProbe();
    assert.equal((await probe.run(fiveMinutes, context('new-job', T0))).ok, true);
    assert.equal((await probe.run(fiveMinutes, context('new-job', T0 + 6 * MIN))).ok, true);
    const late = await probe.run(fiveMinutes, context('new-job', T0 + 6 * MIN + 5000));
    assert.deepEqual(late.failure, { class: 'timeout', message: 'no ping yet, waited 6m5s (period 5m + grace 1m)' });
    assert.equal(detailsOf(late.details).waitingSince, T0);
    // Another check first seen later has its own clock.
    assert.equal((await probe.run(fiveMinutes, context('other-job', T0 + 6 * MIN + 5000))).ok, true);
  });

  it('treats a ping stamped in the future (clock skew) as fresh', async () => {
    const outcome = await heartbeatProbe.run(fiveMinutes, context('skew', T0, { check: 'skew', at: T0 + MIN, ok: true }));
    assert.equal(outcome.ok, true);
    assert.equal(detailsOf(outcome.details).ageMs, 0);
  });

  it('validates config strictly and never shows the token in its description', () => {
    assert.deepEqual(config({ period: '5m' }), { period: 5 * MIN, grace: MIN });
    const withToken = config({ period: '1h', grace: '10m', token: 'a-very-long-secret-value_123' });
    assert.equal(heartbeatProbe.describe(withToken), 'push every 1h (+10m grace)');
    for (const bad of [
      {},
      { period: '500ms' },
      { period: '5m', token: 'short' },
      { period: '5m', token: 'has spaces in it, not ok!!' },
      { period: '5m', extra: true },
    ]) {
      assert.equal(heartbeatProbe.schema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('formats ages with the two largest units', () => {
    assert.equal(formatAge(450), '450ms');
    assert.equal(formatAge(7 * MIN), '7m');
    assert.equal(formatAge(7 * MIN + 12_000), '7m12s');
    assert.equal(formatAge(3_600_000 + 5 * MIN + 9000), '1h5m');
    assert.equal(formatAge(86_400_000 + 30_000), '1d');
  });
});

describe('heartbeat end to end: push handler → SQLite store → probe', () => {
  let dir: string;
  let store: EmbeddedStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-heartbeat-'));
    store = createSqliteStore({ path: join(dir, 'upstate.db') });
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns pushes into up, failed and late results', async () => {
    const token = 'end-to-end-token-0123456789';
    await store.saveCredential({ scope: 'heartbeat', subject: 'nightly', hash: hashHeartbeatToken(token), createdAt: T0 });
    let now = T0;
    const push = createPushHandler({ store, now: () => now });
    const probe = createHeartbeatProbe();
    const cfg = config({ period: '1d', grace: '1h' });
    const run = () =>
      probe.run(cfg, { ...context('nightly', now), lastHeartbeat: () => store.readLastHeartbeat('nightly') });

    assert.equal((await push(token, {}, '10.0.0.1')).status, 200);
    now += 2 * MIN;
    assert.equal((await run()).ok, true);

    assert.equal((await push(token, { status: 'fail', msg: 'exit 3' }, '10.0.0.1')).status, 200);
    const failed = await run();
    assert.equal(failed.failure?.class, 'body');
    assert.match(failed.failure!.message, /exit 3$/);

    now += 25 * 3_600_000 + 1;
    const late = await run();
    assert.equal(late.failure?.class, 'timeout');
    assert.match(late.failure!.message, /^no ping for 1d1h \(period 1d \+ grace 1h\)$/);
  });
});
