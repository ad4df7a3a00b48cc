import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redisProbe } from './redis-probe.ts';
import { decodeReply, encodeCommand } from './resp.ts';
import { startRedisServer, type RedisTestServer } from '../../../test/support/redis-server.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

const PASSWORD = 'rd-Secret-2718';
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => redisProbe.run(redisProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase?: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

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
    hostile = await startHostileProcess();
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
    const silent = await runToTimeout({ host: '127.0.0.1', port: hostile.ports.silent }, /waiting for the PING reply/);
    assert.match(silent.failure!.message, /timed out after \d+ ms waiting for the PING reply from/);
    const garbage = await run({ host: '127.0.0.1', port: hostile.ports.garbage });
    assert.equal(garbage.failure?.class, 'protocol', JSON.stringify(garbage.failure));
    const banner = await run({ host: '127.0.0.1', port: hostile.ports.banner });
    assert.equal(banner.failure?.class, 'protocol');
  });
});
