import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { postgresProbe } from './postgres-probe.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

const PASSWORD = 'pw-Secret-4711';
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => postgresProbe.run(postgresProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase?: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

describe('postgres probe config', () => {
  it('validates strictly and describes without credentials', () => {
    const config = postgresProbe.schema.parse({ host: 'db', password: PASSWORD, database: 'app', query: 'select 1', expect: 1 });
    assert.equal(config.port, 5432);
    assert.equal(postgresProbe.describe(config), 'postgres://db:5432/app');
    assert.doesNotMatch(postgresProbe.describe(config), /Secret/);
    const bad = postgresProbe.schema.safeParse({ host: 'db', expect: 1 });
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(), /expect: expect needs a query/);
    assert.equal(postgresProbe.schema.safeParse({ host: 'db', colour: 'red' }).success, false);
  });
});

describe('postgres probe against a real server', () => {
  let server: EmbeddedPostgres;
  let hostile: HostileServers;
  const base = () => ({ host: '127.0.0.1', port: server.port });
  before(async () => {
    [server, hostile] = await Promise.all([startEmbeddedPostgres(), startHostileProcess()]);
    // A role that must give a password: trust stays for everyone else, scram for this one.
    const admin = new pg.Client(server.url);
    await admin.connect();
    await admin.query(`SET password_encryption = 'scram-sha-256'; CREATE ROLE monitor LOGIN PASSWORD '${PASSWORD}'; CREATE TABLE jobs (id int); INSERT INTO jobs VALUES (1), (2), (3); GRANT SELECT ON jobs TO monitor`);
    const hba = join(server.dataDir, 'pg_hba.conf');
    writeFileSync(hba, `host all monitor 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    await admin.query('SELECT pg_reload_conf()');
    await admin.end();
  });
  after(async () => {
    await Promise.all([server?.stop(), hostile?.close()]);
  });

  it('is up after a login, with connect and login timings and the server version', async () => {
    const outcome = await run({ ...base(), user: 'monitor', password: PASSWORD, database: 'postgres' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    const phases = outcome.details!.phases as Record<string, number>;
    assert.ok(phases.connect >= 0 && phases.login >= 0);
    assert.equal(outcome.timings!.connect, phases.connect);
    assert.match(String(outcome.details!.serverVersion), /^\d+/);
  });

  it('runs a query and checks its first value', async () => {
    const outcome = await run({ ...base(), user: 'monitor', password: PASSWORD, database: 'postgres', query: 'select count(*) from jobs', expect: 3 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.details!.result, '3'); // bigint arrives as text
    assert.equal(outcome.details!.rows, 1);
    assert.ok(outcome.timings!.firstByte! >= 0);
    const regex = await run({ ...base(), query: "select 'v' || version()", expect: { regex: '^vPostgreSQL' } });
    assert.equal(regex.ok, true, JSON.stringify(regex.failure));
  });

  it('is down (body) when the value differs', async () => {
    const outcome = await run({ ...base(), query: 'select count(*) from jobs', expect: 4 });
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /the first value is "3", expected 4/);
  });

  it('never writes: the session is read-only', async () => {
    const outcome = await run({ ...base(), query: 'insert into jobs values (9)' });
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /read-only transaction.*SQLSTATE 25006/);
    const count = await run({ ...base(), query: 'select count(*) from jobs', expect: 3 });
    assert.equal(count.ok, true);
  });

  it('reports a failing query as status with its SQLSTATE', async () => {
    const outcome = await run({ ...base(), query: 'select * from no_such_table' });
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /42P01/);
  });

  it('is down (auth) for a wrong password, an unknown user or database, and never shows the password', async () => {
    const wrong = await run({ ...base(), user: 'monitor', password: `${PASSWORD}-wrong` });
    assert.equal(wrong.failure?.class, 'auth', JSON.stringify(wrong.failure));
    assert.match(wrong.failure!.message, /password authentication failed/);
    assert.doesNotMatch(JSON.stringify(wrong), /Secret-4711/);
    assert.equal((await run({ ...base(), user: 'nobody' })).failure?.class, 'auth');
    const noDb = await run({ ...base(), database: 'nope' });
    assert.equal(noDb.failure?.class, 'auth');
    assert.match(noDb.failure!.message, /3D000/);
  });

  it('is down (tls) when TLS is required but the server has none', async () => {
    const outcome = await run({ ...base(), tls: true });
    assert.equal(outcome.failure?.class, 'tls');
  });

  it('bounds the reply it reads', async () => {
    const outcome = await run({ ...base(), query: "select repeat('x', 3000000)", maxReplyBytes: 65536 });
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /more than 65536 bytes/);
  });

  it('is down with the right class for a closed, silent or garbage port', async () => {
    const closed = await run({ host: '127.0.0.1', port: hostile.ports.closed });
    assert.equal(closed.failure?.class, 'refused');
    const silent = await runToTimeout({ host: '127.0.0.1', port: hostile.ports.silent }, /logging in to 127\.0\.0\.1/);
    assert.match(silent.failure!.message, /timed out after \d+ ms logging in to 127\.0\.0\.1/);
    const garbage = await run({ host: '127.0.0.1', port: hostile.ports.garbage });
    assert.ok(garbage.failure?.class === 'protocol' || garbage.failure?.class === 'reset', JSON.stringify(garbage.failure));
  });
});
