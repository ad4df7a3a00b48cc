import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tlsProbe } from './tls-probe.ts';
import { startHostileServers, type HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';
import type { CertificateFacts, ChainEntry } from './certificate-facts.ts';

// Every case here has a definite answer: a timeout far beyond any scheduling delay keeps a busy
// machine from turning one into a timeout.
const run = (config: Record<string, unknown>) => tlsProbe.run(tlsProbe.schema.parse(config), testProbeContext(15_000));

describe('tls probe config', () => {
  it('defaults port 443 and verification, and describes host:port', () => {
    const config = tlsProbe.schema.parse({ host: 'example.test' });
    assert.equal(config.port, 443);
    assert.equal(config.verify, true);
    assert.equal(tlsProbe.describe(config), 'example.test:443');
    assert.equal(tlsProbe.schema.safeParse({ host: 'example.test', sni: 'x' }).success, false);
    assert.equal(tlsProbe.schema.safeParse({ host: 'example.test', minDaysValid: -1 }).success, false);
  });
});

describe('tls probe', () => {
  let servers: HostileServers;
  before(async () => {
    servers = await startHostileServers();
  });
  after(async () => {
    await servers.close();
  });

  it('reports the certificate, chain and timings of a trusted server', async () => {
    const before = Date.now();
    const outcome = await run({ host: '127.0.0.1', port: servers.tlsPorts.valid, ca: servers.certs.caPath, minDaysValid: 30 });
    const after = Date.now();
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    const certificate = outcome.details?.certificate as CertificateFacts;
    assert.equal(certificate.subject, 'CN=localhost');
    assert.ok(certificate.validTo > Date.parse('2100-01-01T00:00:00Z'), 'the test leaf lasts 100 years');
    // measured from a moment during the run, however long the run took
    assert.ok(certificate.expiresInMs >= certificate.validTo - after && certificate.expiresInMs <= certificate.validTo - before, `expiresInMs ${certificate.expiresInMs}`);
    const chain = outcome.details?.chain as ChainEntry[];
    assert.deepEqual(chain.map((entry) => entry.subject), ['CN=localhost', 'CN=Upstate Test CA']);
    assert.ok(outcome.timings!.connect! >= 0 && outcome.timings!.tls! > 0);
    assert.match(String(outcome.details?.protocol), /^TLSv1\.[23]$/);
  });

  it('fails when the certificate expires sooner than minDaysValid', async () => {
    const outcome = await run({ host: '127.0.0.1', port: servers.tlsPorts.valid, ca: servers.certs.ca, minDaysValid: 50_000 });
    assert.equal(outcome.failure?.class, 'tls');
    assert.match(outcome.failure!.message, /^certificate for 127\.0\.0\.1:\d+ expires in 3\d{4} days \(minimum 50000 days\)$/);
  });

  it('with verify off, passes but still reports what was wrong', async () => {
    const outcome = await run({ host: '127.0.0.1', port: servers.tlsPorts.expired, verify: false });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.details?.verifyError, 'CERT_HAS_EXPIRED');
    assert.ok((outcome.details?.certificate as CertificateFacts).expiresInMs < 0);
  });

  it('checks the certificate against servername, not the address', async () => {
    const right = await run({ host: '127.0.0.1', port: servers.tlsPorts.wrongHost, servername: 'wrong.example', ca: servers.certs.ca });
    assert.equal(right.ok, true, JSON.stringify(right.failure));
    const wrong = await run({ host: '127.0.0.1', port: servers.tlsPorts.valid, servername: 'other.example', ca: servers.certs.ca });
    assert.equal(wrong.failure?.class, 'tls');
    assert.match(wrong.failure!.message, /does not match the host name/);
  });
});
