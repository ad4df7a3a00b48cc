import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlProbe } from './mysql-probe.ts';
import { startMysqlTestServer, type MysqlTestServer } from '../../../test/support/mysql-server.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

const PASSWORD = 'my-Secret-0815';
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => mysqlProbe.run(mysqlProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase?: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

describe('mysql probe config', () => {
  it('validates strictly and describes without credentials', () => {
    const config = mysqlProbe.schema.parse({ host: 'db', password: PASSWORD, database: 'app' });
    assert.equal(config.port, 3306);
    assert.equal(mysqlProbe.describe(config), 'mysql://db:3306/app');
    assert.equal(mysqlProbe.schema.safeParse({ host: 'db', expect: 1 }).success, false);
    assert.equal(mysqlProbe.schema.safeParse({ host: 'db', port: 0 }).success, false);
  });
});

describe('mysql probe against a MySQL-protocol server', () => {
  let server: MysqlTestServer;
  let hostile: HostileServers;
  const base = () => ({ host: '127.0.0.1', port: server.port, user: 'monitor', password: PASSWORD });
  before(async () => {
    hostile = await startHostileProcess();
    server = await startMysqlTestServer({ monitor: PASSWORD });
  });
  after(async () => {
    await Promise.all([server?.close(), hostile?.close()]);
  });

  it('is up after a login, with timings and the server version', async () => {
    const outcome = await run({ ...base(), database: 'app' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.details!.serverVersion, server.version);
    const phases = outcome.details!.phases as Record<string, number>;
    assert.ok(phases.connect >= 0 && phases.login >= 0);
  });

  it('runs a query in a read-only session and checks its first value', async () => {
    const outcome = await run({ ...base(), query: 'select count(*) from jobs', expect: 3 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.details!.result, '3');
    assert.ok(outcome.timings!.firstByte! >= 0);
    const mismatch = await run({ ...base(), query: 'select version()', expect: { regex: '^5\\.' } });
    assert.equal(mismatch.failure?.class, 'body');
    assert.match(mismatch.failure!.message, /the first value is "8\.0\.99-upstate-test", expected \/\^5\\\.\//);
  });

  it('sets the session read-only before the query, so writes are refused', async () => {
    const outcome = await run({ ...base(), query: 'insert into jobs values (4)' });
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /READ ONLY transaction\. \(error 1792\)/);
    const syntax = await run({ ...base(), query: 'selec 1' });
    assert.equal(syntax.failure?.class, 'status');
  });

  it('is down (auth) for a wrong password or unknown database, never showing the password', async () => {
    const wrong = await run({ ...base(), password: 'nope-nope' });
    assert.equal(wrong.failure?.class, 'auth', JSON.stringify(wrong.failure));
    assert.match(wrong.failure!.message, /Access denied for user 'monitor'/);
    const noDb = await run({ ...base(), database: 'other' });
    assert.equal(noDb.failure?.class, 'auth');
    assert.doesNotMatch(JSON.stringify([wrong, noDb]), /Secret-0815/);
  });

  it('is down (tls) when TLS is required but the server has none', async () => {
    const outcome = await run({ ...base(), tls: true });
    assert.equal(outcome.failure?.class, 'tls', JSON.stringify(outcome.failure));
  });

  it('bounds the reply it reads', async () => {
    const outcome = await run({ ...base(), query: 'select big', maxReplyBytes: 65536 });
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /more than 65536 bytes/);
  });

  it('is down with the right class for a closed, silent or garbage port', async () => {
    assert.equal((await run({ host: '127.0.0.1', port: hostile.ports.closed })).failure?.class, 'refused');
    const silent = await runToTimeout({ host: '127.0.0.1', port: hostile.ports.silent }, /logging in to/);
    assert.match(silent.failure!.message, /timed out after \d+ ms logging in to/);
    // the class alone is judged here (the driver may wait for the bogus packet or give up on it), so no bound on when
    const banner = await mysqlProbe.run(mysqlProbe.schema.parse({ host: '127.0.0.1', port: hostile.ports.banner }), testProbeContext(2000));
    assert.ok(['protocol', 'reset', 'timeout'].includes(banner.failure!.class), JSON.stringify(banner.failure));
  });
});
