import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanMessage, createPushHandler, MAX_PUSH_MESSAGE, type PushStore } from './push.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { generateHeartbeatToken, hashesEqual, hashHeartbeatToken, pushPath } from './heartbeat-token.ts';
import { DuplicateHeartbeatTokenError, syncHeartbeatTokens } from './sync-heartbeat-tokens.ts';
import { heartbeatProbe } from './heartbeat-probe.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { Check } from '../../domain/check.ts';
import type { EmbeddedStore } from '../../storage/store.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const TOKEN = 'push-test-token-ABCDEFGHIJKLMNOP';

function heartbeatCheck(name: string, probe: Record<string, unknown>): Check {
  return {
    name,
    intervalMs: 60_000,
    timeoutMs: 10_000,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    conditions: [],
    kind: 'heartbeat',
    probe: heartbeatProbe.schema.parse(probe),
    target: 'push',
    regions: ['local'],
    quorum: 1,
  };
}

/** The real store, with the push handler's calls counted (instrumentation, not a fake). */
function counting(store: EmbeddedStore) {
  const calls = { findCredential: 0, recordHeartbeat: 0 };
  const wrapped: PushStore = {
    findCredential: (scope, hash) => (calls.findCredential++, store.findCredential(scope, hash)),
    recordHeartbeat: (ping) => (calls.recordHeartbeat++, store.recordHeartbeat(ping)),
  };
  return { wrapped, calls };
}

describe('push handler and token sync on a real SQLite store', () => {
  let dir: string;
  let dbPath: string;
  let store: EmbeddedStore;
  let now: number;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-push-'));
  });
  beforeEach(async () => {
    if (store) await store.close();
    dbPath = join(dir, `upstate-${Math.random().toString(36).slice(2)}.db`);
    store = createSqliteStore({ path: dbPath });
    await store.migrate();
    now = T0;
    await store.saveCredential({ scope: 'heartbeat', subject: 'backup', hash: hashHeartbeatToken(TOKEN), createdAt: T0 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records an ok ping for a valid token', async () => {
    const push = createPushHandler({ store, now: () => now });
    assert.deepEqual(await push(TOKEN, {}, 'client-1'), { status: 200, body: { ok: true, check: 'backup', reported: 'up' } });
    assert.deepEqual(await store.readLastHeartbeat('backup'), { check: 'backup', at: T0, ok: true });
  });

  it('records failures with a cleaned, truncated message; exit codes count as status', async () => {
    const push = createPushHandler({ store, now: () => now });
    const long = `line1\nline2\u0007 ${'x'.repeat(600)}`;
    const response = await push(TOKEN, { status: 'fail', msg: long }, 'client-1');
    assert.equal(response.status, 200);
    const ping = await store.readLastHeartbeat('backup');
    assert.equal(ping?.ok, false);
    assert.equal(Array.from(ping!.message!).length, MAX_PUSH_MESSAGE);
    assert.ok(ping!.message!.startsWith('line1 line2 xxx'), ping!.message);

    for (const [status, ok] of [['0', true], ['1', false], ['OK', true], ['down', false], ['weird', false], ['', true]] as const) {
      now += 1000;
      await push(TOKEN, { status }, `client-${status}`);
      assert.equal((await store.readLastHeartbeat('backup'))?.ok, ok, `status=${status}`);
    }
  });

  it('answers every bad token with the same 404 after the same store work', async () => {
    const { wrapped, calls } = counting(store);
    const push = createPushHandler({ store: wrapped, now: () => now });
    await store.saveCredential({ scope: 'heartbeat', subject: 'gone', hash: hashHeartbeatToken('revoked-token-0123456789'), createdAt: T0 });
    await store.revokeCredential('heartbeat', 'gone', T0);
    const badTokens = [generateHeartbeatToken(), 'revoked-token-0123456789', '', 'x'.repeat(10_000), TOKEN.toLowerCase(), `${TOKEN} `];
    const bodies = [];
    for (const token of badTokens) {
      const before = calls.findCredential;
      const response = await push(token, {}, 'client-1');
      assert.equal(response.status, 404, JSON.stringify(token.slice(0, 40)));
      assert.equal(calls.findCredential - before, 1, 'one lookup per request, found or not');
      bodies.push(response.body);
    }
    for (const body of bodies) assert.deepEqual(body, bodies[0]);
    assert.equal(calls.recordHeartbeat, 0);
    assert.equal(await store.readLastHeartbeat('backup'), undefined);
  });

  it('rate limits per client before any lookup, and recovers as time passes', async () => {
    const { wrapped, calls } = counting(store);
    const push = createPushHandler({ store: wrapped, now: () => now, rateLimit: { perClient: { capacity: 3, refillPerSecond: 0.5 } } });
    for (let i = 0; i < 3; i++) assert.equal((await push('bad-guess', {}, '203.0.113.9')).status, 404);
    const limited = await push('bad-guess', {}, '203.0.113.9');
    assert.deepEqual(limited, { status: 429, body: { ok: false, error: 'too many pushes', retryAfterSeconds: 2 } });
    assert.equal(calls.findCredential, 3, 'a limited request does not reach the store');
    assert.equal((await push(TOKEN, {}, '198.51.100.7')).status, 200, 'other clients are unaffected');
    now += 2000;
    assert.equal((await push(TOKEN, {}, '203.0.113.9')).status, 200);
  });

  it('rate limits per token across clients', async () => {
    const push = createPushHandler({ store, now: () => now, rateLimit: { perToken: { capacity: 2, refillPerSecond: 1 } } });
    assert.equal((await push(TOKEN, {}, 'a')).status, 200);
    assert.equal((await push(TOKEN, {}, 'b')).status, 200);
    assert.equal((await push(TOKEN, {}, 'c')).status, 429);
    now += 1000;
    assert.equal((await push(TOKEN, {}, 'd')).status, 200);
  });

  it('syncs configured tokens as hashes, generates missing ones once, and revokes removed checks', async () => {
    const push = createPushHandler({ store, now: () => now });
    const configured = 'configured-token-0123456789abc';
    const checks = [
      heartbeatCheck('backup', { period: '1d' }), // has a stored token already (from beforeEach)
      heartbeatCheck('cron', { period: '5m', token: configured }),
      heartbeatCheck('report', { period: '1h' }),
    ];
    const generated = await syncHeartbeatTokens(store, checks, T0);
    assert.deepEqual(generated.map((g) => g.check), ['report']);
    assert.match(generated[0].token, /^[A-Za-z0-9_-]{43}$/);

    assert.equal((await push(TOKEN, {}, 'k1')).status, 200, 'stored token kept');
    assert.deepEqual((await push(configured, {}, 'k2')).body, { ok: true, check: 'cron', reported: 'up' });
    assert.deepEqual((await push(generated[0].token, {}, 'k3')).body, { ok: true, check: 'report', reported: 'up' });

    // Only hashes are stored: the secrets never reach the database file.
    await store.close();
    const file = readFileSync(dbPath);
    for (const secret of [configured, generated[0].token]) assert.equal(file.includes(secret), false);
    store = createSqliteStore({ path: dbPath });
    const pushAgain = createPushHandler({ store, now: () => now });

    // A second sync is a no-op: nothing new to print.
    assert.deepEqual(await syncHeartbeatTokens(store, checks, T0 + 1), []);

    // Token changed in config → old one stops working; check removed → its URL stops working.
    const rotated = 'rotated-token-0123456789abcdef';
    await syncHeartbeatTokens(store, [heartbeatCheck('cron', { period: '5m', token: rotated }), checks[2]], T0 + 2);
    assert.equal((await pushAgain(configured, {}, 'k4')).status, 404);
    assert.equal((await pushAgain(rotated, {}, 'k4')).status, 200);
    assert.equal((await pushAgain(TOKEN, {}, 'k4')).status, 404, 'backup was removed from config');

    // Re-adding it later issues a new token rather than reviving the old URL.
    const readded = await syncHeartbeatTokens(store, [heartbeatCheck('backup', { period: '1d' })], T0 + 3);
    assert.deepEqual(readded.map((g) => g.check), ['backup']);
    assert.notEqual(readded[0].token, TOKEN);
  });

  it('rejects two checks configured with the same token', async () => {
    const shared = 'shared-token-0123456789abcdef';
    await assert.rejects(
      syncHeartbeatTokens(store, [heartbeatCheck('a', { period: '5m', token: shared }), heartbeatCheck('b', { period: '5m', token: shared })], T0),
      DuplicateHeartbeatTokenError,
    );
  });
});

describe('push helpers', () => {
  it('generates distinct 32-byte base64url tokens and a push path', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateHeartbeatToken));
    assert.equal(tokens.size, 50);
    for (const token of tokens) assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.equal(pushPath('abc'), '/api/v1/push/abc');
  });

  it('hashes to hex SHA-256 and compares hashes exactly', () => {
    const hash = hashHeartbeatToken('abc');
    assert.equal(hash, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hashesEqual(hash, hashHeartbeatToken('abc')), true);
    assert.equal(hashesEqual(hash, hashHeartbeatToken('abd')), false);
    assert.equal(hashesEqual(hash, hash.slice(0, 10)), false);
  });

  it('cleans messages: no control characters, no split surrogate pairs, empty → undefined', () => {
    assert.equal(cleanMessage('  \n '), undefined);
    assert.equal(cleanMessage('a\r\nb\tc'), 'a b c');
    const emoji = cleanMessage('😀'.repeat(600))!;
    assert.equal(Array.from(emoji).length, MAX_PUSH_MESSAGE);
    assert.equal(emoji, '😀'.repeat(MAX_PUSH_MESSAGE));
  });

  it('keeps the limiter memory bounded with an LRU of buckets', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.take(`key-${i}`, T0);
    assert.equal(limiter.size(), 100);
    assert.equal(limiter.take('key-999', T0).allowed, false, 'recent keys are remembered');
    assert.equal(limiter.take('key-0', T0).allowed, true, 'the oldest were evicted');
  });
});
