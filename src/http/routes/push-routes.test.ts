import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../create-app.ts';
import { serverConfigSchema } from '../server-config.ts';
import { hashHeartbeatToken } from '../../probes/heartbeat/heartbeat-token.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, startServer, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const TOKEN = 'push-route-token-ABCDEFGHIJKLMNOP';
const AUTH = { header: 'X-Proxy-Auth', secrets: ['proxy-secret-123'] };

describe('heartbeat push route on a real SQLite store', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  let now = T0;
  const config = testConfig([testCheck('backup', { kind: 'heartbeat', target: 'push' })], { auth: AUTH });
  const app = (rateLimit?: Parameters<typeof createApp>[0]['pushRateLimit']) => createApp({ config, store, now: () => now, pushRateLimit: rateLimit });

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await store.saveCredential({ scope: 'heartbeat', subject: 'backup', hash: hashHeartbeatToken(TOKEN), createdAt: T0 });
  });
  after(async () => cleanup());

  it('records a ping without the proxy auth header (the token is the credential)', async () => {
    const res = await app().request(`/api/v1/push/${TOKEN}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), { ok: true, check: 'backup', reported: 'up' });
    assert.deepEqual(await store.readLastHeartbeat('backup'), { check: 'backup', at: T0, ok: true });
    // Everything else still needs the header.
    assert.equal((await app().request('/api/v1/status')).status, 401);
    assert.equal((await app().request('/api/v1/push')).status, 401);
  });

  it('records failures from the query string and from POST bodies (form and JSON)', async () => {
    now += 1000;
    assert.equal((await app().request(`/api/v1/push/${TOKEN}?status=fail&msg=disk%20full`)).status, 200);
    assert.deepEqual(await store.readLastHeartbeat('backup'), { check: 'backup', at: now, ok: false, message: 'disk full' });

    now += 1000;
    const form = await app().request(`/api/v1/push/${TOKEN}`, { method: 'POST', body: new URLSearchParams({ status: '1', msg: 'exit 1' }) });
    assert.deepEqual(await form.json(), { ok: true, check: 'backup', reported: 'fail' });
    assert.equal((await store.readLastHeartbeat('backup'))?.message, 'exit 1');

    now += 1000;
    const json = await app().request(`/api/v1/push/${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'ok', msg: 'backup done' }) });
    assert.equal(json.status, 200);
    assert.deepEqual(await store.readLastHeartbeat('backup'), { check: 'backup', at: now, ok: true, message: 'backup done' });

    now += 1000;
    const big = await app().request(`/api/v1/push/${TOKEN}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(10_000) });
    assert.equal(big.status, 413);
    assert.equal((await store.readLastHeartbeat('backup'))?.at, now - 1000, 'an oversized push records nothing');
  });

  it('answers an unknown token with 404 and records nothing', async () => {
    now += 1000;
    const res = await app().request('/api/v1/push/not-a-real-token-0000000000');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { ok: false, error: 'unknown push token' });
    assert.notEqual((await store.readLastHeartbeat('backup'))?.at, now);
    assert.equal((await app().request(`/api/v1/push/${TOKEN}`, { method: 'PUT' })).status, 404, 'only GET and POST push');
  });

  it('rate limits per client (the address a trusted proxy appended) with Retry-After', async () => {
    now += 60_000;
    const behindProxy = { ...config, server: serverConfigSchema.parse({ trustProxy: 1 }) };
    const limited = createApp({ config: behindProxy, store, now: () => now, pushRateLimit: { perClient: { capacity: 2, refillPerSecond: 0.25 } } });
    // what the client wrote first is ignored: one proxy hop is trusted, so the last entry is the client
    const from = (ip: string) => limited.request(`/api/v1/push/${TOKEN}`, { headers: { 'x-forwarded-for': `10.0.0.${Math.floor(now % 200)}, ${ip}` } });
    assert.equal((await from('203.0.113.9')).status, 200);
    assert.equal((await from('203.0.113.9')).status, 200);
    const res = await from('203.0.113.9');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '4');
    assert.deepEqual(await res.json(), { ok: false, error: 'too many pushes', retryAfterSeconds: 4 });
    assert.equal((await from('198.51.100.7')).status, 200, 'another client has its own bucket');
  });

  it('keys clients by socket address on a real Node server', async () => {
    now += 60_000;
    const server = await startServer(app({ perClient: { capacity: 1, refillPerSecond: 0.01 } }));
    try {
      assert.equal((await fetch(`${server.url}/api/v1/push/${TOKEN}`)).status, 200);
      const second = await fetch(`${server.url}/api/v1/push/${TOKEN}`, { method: 'POST' });
      assert.equal(second.status, 429, 'the same socket address shares a bucket');
      assert.ok(Number(second.headers.get('retry-after')) >= 1);
    } finally {
      await server.close();
    }
  });
});
