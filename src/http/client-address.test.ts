import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createApp } from './create-app.ts';
import { clientAddressOf, parseTrustProxy } from './client-address.ts';
import { trustProxySchema } from './server-config.ts';
import { hashHeartbeatToken } from '../probes/heartbeat/heartbeat-token.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import type { UpstateConfig } from '../config/types.ts';
import { openTestStore, startServer, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const ADMIN = 'admin-token-0123456789abcdef';
const PUSH = 'push-route-token-ABCDEFGHIJKLMNOP';

/** One request over a real socket, optionally from another loopback address (127.0.0.2). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const randomIp = (i: number) => `198.18.${(i >> 8) & 255}.${i & 255}`;
const signIn = (url: string, headers: Record<string, string>, from?: string) =>
  send(`${url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'token=wrong-token-000000000000', from });

describe('client address behind rate limits (real sockets)', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  const servers: Array<{ close(): Promise<void> }> = [];

  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await store.saveCredential({ scope: 'heartbeat', subject: 'backup', hash: hashHeartbeatToken(PUSH), createdAt: NOW });
  });
  after(async () => {
    for (const server of servers) await server.close();
    await cleanup();
  });

  async function serve(extra: Partial<UpstateConfig> = {}): Promise<string> {
    const config = testConfig([testCheck('backup', { kind: 'heartbeat', target: 'push' })], { admin: { tokens: [{ name: 'ops', token: ADMIN }] }, ...extra });
    // a fixed clock: no bucket refills during the test, so the counts are exact
    const server = await startServer(createApp({ config, store, now: () => NOW }));
    servers.push(server);
    return server.url;
  }

  it('by default ignores X-Forwarded-For: rotating it does not escape the sign-in limit', async () => {
    const url = await serve();
    let throttled = 0;
    for (let i = 0; i < 100; i++) if ((await signIn(url, { 'x-forwarded-for': randomIp(i) })) === 429) throttled++;
    console.log(`sign-in: ${throttled} of 100 attempts with a rotating X-Forwarded-For throttled`);
    assert.equal(throttled, 90, 'burst of 10, then every attempt from the same socket address is refused');
  });

  it('by default ignores X-Forwarded-For: rotating it does not escape the push limit', async () => {
    const url = await serve();
    let throttled = 0;
    for (let i = 0; i < 300; i++) {
      const status = await send(`${url}/api/v1/push/guess-${i.toString().padStart(28, '0')}`, { headers: { 'x-forwarded-for': randomIp(i) } });
      if (status === 429) throttled++;
    }
    console.log(`push: ${throttled} of 300 guesses with a rotating X-Forwarded-For throttled`);
    assert.equal(throttled, 240, 'burst of 60, then refused');
  });

  it('a spoofed X-Forwarded-For cannot lock another address out', async () => {
    const url = await serve();
    for (let i = 0; i < 20; i++) await signIn(url, { 'x-forwarded-for': '127.0.0.2' });
    const victim = await signIn(url, {}, '127.0.0.2');
    assert.equal(victim, 401, 'the victim at 127.0.0.2 is still asked for a token, not throttled');
  });

  it('with trustProxy: 1 the address the proxy appended is the key, whatever the client put before it', async () => {
    const url = await serve({ server: { trustProxy: 1 } } as Partial<UpstateConfig>);
    for (let i = 0; i < 10; i++) assert.equal(await signIn(url, { 'x-forwarded-for': `${randomIp(i)}, 203.0.113.7` }), 401);
    assert.equal(await signIn(url, { 'x-forwarded-for': 'anything, 203.0.113.7' }), 429, '203.0.113.7 used its burst');
    assert.equal(await signIn(url, { 'x-forwarded-for': '203.0.113.8' }), 401, 'another client behind the proxy has its own bucket');
  });
});

describe('clientAddressOf', () => {
  const hops = (n: number) => parseTrustProxy(n);
  it('uses the socket address when nothing is trusted', () => {
    assert.equal(clientAddressOf('1.2.3.4, 5.6.7.8', '10.0.0.1', undefined), '10.0.0.1');
    assert.equal(clientAddressOf('1.2.3.4', '::ffff:10.0.0.1', hops(0)), '10.0.0.1');
    assert.equal(clientAddressOf(undefined, undefined, undefined), 'unknown');
  });
  it('walks back the given number of hops, never past the first entry', () => {
    assert.equal(clientAddressOf('1.1.1.1, 2.2.2.2, 3.3.3.3', '10.0.0.1', hops(1)), '3.3.3.3');
    assert.equal(clientAddressOf('1.1.1.1, 2.2.2.2, 3.3.3.3', '10.0.0.1', hops(2)), '2.2.2.2');
    assert.equal(clientAddressOf('2.2.2.2', '10.0.0.1', hops(5)), '2.2.2.2');
    assert.equal(clientAddressOf(undefined, '10.0.0.1', hops(1)), '10.0.0.1', 'no header: the socket');
  });
  it('skips trusted CIDRs from the right and stops at the first untrusted address', () => {
    const trust = parseTrustProxy(['10.0.0.0/8', '192.168.1.1', 'fd00::/8']);
    assert.equal(clientAddressOf('6.6.6.6, 5.5.5.5, 10.1.2.3', '192.168.1.1', trust), '5.5.5.5');
    assert.equal(clientAddressOf('6.6.6.6', '172.16.0.1', trust), '172.16.0.1', 'an untrusted peer is the client');
    assert.equal(clientAddressOf('2001:db8::1, fd00::5', 'fd12::1', trust), '2001:db8::1');
    assert.equal(clientAddressOf('garbage, 10.0.0.2', '10.0.0.1', trust), 'garbage');
  });
  it('rejects what is neither a hop count nor a CIDR list', () => {
    assert.equal(trustProxySchema.safeParse(['10.0.0.0/33']).success, false);
    assert.equal(trustProxySchema.safeParse(['example.com']).success, false);
    assert.equal(trustProxySchema.safeParse(-1).success, false);
    assert.equal(trustProxySchema.safeParse(['::1/128', '127.0.0.1']).success, true);
  });
});
