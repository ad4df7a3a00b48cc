import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tcpProbe } from './tcp-probe.ts';
import { BANNER } from '../../../test/support/hostile/hostile-raw.ts';
import { startHostileServers, type HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';

// Every case here has a definite answer: a timeout far beyond any scheduling delay keeps a busy
// machine from turning one into a timeout.
const run = (config: Record<string, unknown>) => tcpProbe.run(tcpProbe.schema.parse(config), testProbeContext(15_000));

describe('tcp probe config', () => {
  it('validates strictly with clear messages', () => {
    const issues = (config: Record<string, unknown>) => {
      const parsed = tcpProbe.schema.safeParse(config);
      assert.equal(parsed.success, false);
      return parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    };
    assert.match(issues({ host: 'db', port: 70000 }), /port: must be 1–65535/);
    assert.match(issues({ host: '', port: 22 }), /host: must be a host name or IP address/);
    assert.match(issues({ host: 'db', port: 22, banner: 'x' }), /banner|Unrecognized key/);
    assert.match(issues({ host: 'db', port: 22, expect: { regex: '(' } }), /must be a valid regular expression/);
    assert.equal(tcpProbe.schema.parse({ host: 'db', port: 22 }).tls, false);
  });

  it('describes host:port, bracketing IPv6', () => {
    assert.equal(tcpProbe.describe(tcpProbe.schema.parse({ host: 'db.internal', port: 5432 })), 'db.internal:5432');
    assert.equal(tcpProbe.describe(tcpProbe.schema.parse({ host: '::1', port: 22 })), '[::1]:22');
  });
});

describe('tcp probe', () => {
  let servers: HostileServers;
  before(async () => {
    servers = await startHostileServers();
  });
  after(async () => {
    await servers.close();
  });

  it('passes on a plain connection, with connect timing', async () => {
    const outcome = await run({ host: '127.0.0.1', port: servers.ports.silent });
    assert.equal(outcome.ok, true);
    assert.ok(outcome.timings!.connect! >= 0);
    assert.equal(outcome.timings!.firstByte, undefined);
  });

  it('matches a banner by substring or regex, with first-byte timing', async () => {
    const bySubstring = await run({ host: 'localhost', port: servers.ports.banner, expect: 'ESMTP' });
    assert.equal(bySubstring.ok, true, JSON.stringify(bySubstring.failure));
    assert.ok(bySubstring.timings!.dns! >= 0 && bySubstring.timings!.firstByte! >= 0);
    assert.equal(bySubstring.details?.banner, BANNER);
    assert.equal((await run({ host: '127.0.0.1', port: servers.ports.banner, expect: { regex: '^220 \\S+ esmtp', flags: 'i' } })).ok, true);
  });

  it('sends a line and waits for the answer', async () => {
    const outcome = await run({ host: '127.0.0.1', port: servers.ports.banner, send: 'PING\r\n', expect: '+PONG' });
    assert.equal(outcome.ok, true);
    const closed = await run({ host: '127.0.0.1', port: servers.ports.banner, send: 'QUIT\r\n', expect: '+PONG' });
    assert.equal(closed.failure?.class, 'body');
    assert.match(closed.failure!.message, /closed the connection without sending "\+PONG" \(got "220 upstate-fixture/);
  });

  it('speaks TLS when asked, reporting the certificate', async () => {
    const outcome = await run({ host: '127.0.0.1', port: servers.tlsPorts.valid, tls: { ca: servers.certs.ca } });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.ok(outcome.timings!.tls! >= 0);
    assert.equal((outcome.details?.certificate as { subject: string }).subject, 'CN=localhost');
    const untrusted = await run({ host: '127.0.0.1', port: servers.tlsPorts.selfSigned, tls: true });
    assert.equal(untrusted.failure?.class, 'tls');
    assert.equal((await run({ host: '127.0.0.1', port: servers.tlsPorts.selfSigned, tls: { verify: false } })).ok, true);
  });
});
