import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redisProbe } from './redis-probe.ts';
import { decodeReply, encodeCommand } from './resp.ts';
import { startRedisServer, type RedisTestServer } from '../../../test/support/redis-server.ts';
import { startHostileServers, type HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';

const PASSWORD = 'rd-Secret-2718';
const run = (config: Record<string, unknown>, timeoutMs = 5000) => redisProbe.run(redisProbe.schema.parse(config), testProbeContext(timeoutMs));

describe('redis probe config and RESP', () => {
  it('allows only read-only commands', () => {
    assert.deepEqual(redisProbe.schema.parse({ host: 'cache', command: 'GET  feature:flag' }).command, ['GET', 'feature:flag']);
    const bad = redisProbe.schema.safeParse({ host: 'cache', command: 'FLUSHALL' });
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0].message, /FLUSHALL is not a read-only command/);
    assert.equal(redisProbe.schema.safeParse({ host: 'cache', command: ['MEMORY', 'PURGE'] }).success, false);
    assert.equal(redisProbe.describe(redisProbe.schema.parse({ host: 'cache', password: PASSWORD, database: 2 })), 'redis://cache:6379/2');
  });
  it('decodes replies only when complete', () => {
    assert.equal(encodeCommand(['GET', 'k']).toString(), '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    assert.deepEqual(decodeReply(Buffer.from('*2\r\n:1\r\n$3\r\nabc\r\n')), { value: [1, 'abc'], end: 17 });
    assert.equal(decodeReply(Buffer.from('$5\r\nab')), undefined);
    assert.deepEqual(decodeReply(Buffer.from('-ERR no\r\n'))?.value, { error: 'ERR no' });
    assert.throws(() => decodeReply(Buffer.from('HTTP/1.1 200 OK\r\n')), /not a RESP reply/);
  });
});

describe('redis probe against a real redis-server', () => {
  let server: RedisTestServer;
  let hostile: HostileServers;
  const base = () => ({ host: '127.0.0.1', port: server.port, password: PASSWORD });
  before(async () => {
    hostile = await startHostileServers();
    server = await startRedisServer(PASSWORD);
  });
  after(async () => {
    await Promise.all([server?.stop(), hostile?.close()]);
  });

  it('is up on PING → PONG, with timings per phase', async () => {
    const outcome = await run(base());
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.details!.result, 'PONG');
    const phases = outcome.details!.phases as Record<string, number>;
    assert.ok(phases.connect >= 0 && phases.auth >= 0 && phases.command >= 0);
    assert.equal(outcome.timings!.firstByte, phases.command);
  });

  it('runs a read-only command in a chosen database and checks the reply', async () => {
    const outcome = await run({ ...base(), database: 3, command: 'DBSIZE', expect: 0 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.details!.result, 0);
    const info = await run({ ...base(), command: 'INFO server', expect: { regex: 'redis_version:\\d+' } });
    assert.equal(info.ok, true, JSON.stringify(info.failure));
    const missing = await run({ ...base(), command: 'GET no-such-key', expect: 'on' });
    assert.equal(missing.failure?.class, 'body');
    assert.match(missing.failure!.message, /the reply is "null", expected "on"/);
  });

  it('is down (status) when the server rejects the command', async () => {
    const outcome = await run({ ...base(), database: 9 });
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /DB index is out of range/);
  });

  it('is down (auth) without or with a wrong password, never showing it', async () => {
    const none = await run({ host: '127.0.0.1', port: server.port });
    assert.equal(none.failure?.class, 'auth');
    assert.match(none.failure!.message, /NOAUTH/);
    const wrong = await run({ ...base(), password: `${PASSWORD}-x` });
    assert.equal(wrong.failure?.class, 'auth');
    assert.match(wrong.failure!.message, /WRONGPASS/);
    assert.doesNotMatch(JSON.stringify(wrong), /Secret-2718/);
  });

  it('speaks TLS with certificate facts, and fails (tls) on an untrusted certificate', async () => {
    const { loadTestCerts } = await import('../../../test/support/hostile/test-certs.ts');
    const outcome = await run({ ...base(), port: server.tlsPort, tls: { ca: loadTestCerts().ca } });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal((outcome.details!.certificate as { subject: string }).subject, 'CN=localhost');
    assert.ok(outcome.timings!.tls! >= 0);
    const untrusted = await run({ ...base(), port: server.tlsPort, tls: true });
    assert.equal(untrusted.failure?.class, 'tls');
  });

  it('is down with the right class for closed, silent, garbage and slow-drip ports', async () => {
    assert.equal((await run({ host: '127.0.0.1', port: hostile.ports.closed })).failure?.class, 'refused');
    const silent = await run({ host: '127.0.0.1', port: hostile.ports.silent }, 800);
    assert.equal(silent.failure?.class, 'timeout');
    assert.match(silent.failure!.message, /timed out after 800 ms waiting for the PING reply from/);
    assert.ok(silent.latencyMs < 800 + 500, `reported ${silent.latencyMs} ms`);
    const garbage = await run({ host: '127.0.0.1', port: hostile.ports.garbage });
    assert.equal(garbage.failure?.class, 'protocol', JSON.stringify(garbage.failure));
    const banner = await run({ host: '127.0.0.1', port: hostile.ports.banner });
    assert.equal(banner.failure?.class, 'protocol');
  });
});
