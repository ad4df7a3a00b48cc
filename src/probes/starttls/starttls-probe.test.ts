import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { starttlsProbe } from './starttls-probe.ts';
import { startMailServer, startSmtpServer } from '../../../test/support/mail-servers.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { loadTestCerts } from '../../../test/support/hostile/test-certs.ts';
import type { Listening } from '../../../test/support/hostile/listen.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';
import type { CertificateFacts, ChainEntry } from '../tls/certificate-facts.ts';

/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const certs = loadTestCerts();
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => starttlsProbe.run(starttlsProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

describe('starttls probe config', () => {
  it('defaults the port per protocol and describes protocol://host:port', () => {
    const ports = ['smtp', 'imap', 'pop3', 'smtps', 'imaps', 'pop3s'].map((protocol) => starttlsProbe.schema.parse({ host: 'mx.example', protocol }).port);
    assert.deepEqual(ports, [25, 143, 110, 465, 993, 995]);
    assert.equal(starttlsProbe.describe(starttlsProbe.schema.parse({ host: 'mx.example', protocol: 'smtp', port: 587 })), 'smtp://mx.example:587');
    assert.equal(starttlsProbe.schema.safeParse({ host: 'mx.example', protocol: 'ftp' }).success, false);
  });
});

describe('starttls probe', () => {
  const servers: Record<string, Listening> = {};
  let hostile: HostileServers;
  before(async () => {
    hostile = await startHostileProcess();
    const start = {
      smtp: () => startSmtpServer(certs.valid, 'ok'),
      smtps: () => startSmtpServer(certs.valid, 'implicit'),
      smtpRefuse: () => startSmtpServer(certs.valid, 'refuse'),
      smtpExpired: () => startSmtpServer(certs.expired, 'ok'),
      imap: () => startMailServer('imap', certs.valid, 'ok'),
      imaps: () => startMailServer('imap', certs.valid, 'implicit'),
      imapRefuse: () => startMailServer('imap', certs.valid, 'refuse'),
      imapInject: () => startMailServer('imap', certs.valid, 'inject'),
      imapStall: () => startMailServer('imap', certs.valid, 'stall'),
      pop3: () => startMailServer('pop3', certs.valid, 'ok'),
      pop3s: () => startMailServer('pop3', certs.valid, 'implicit'),
      pop3Refuse: () => startMailServer('pop3', certs.valid, 'refuse'),
      pop3SelfSigned: () => startMailServer('pop3', certs.selfSigned, 'ok'),
    };
    for (const [name, startOne] of Object.entries(start)) servers[name] = await startOne();
  });
  after(async () => {
    await Promise.all([hostile.close(), ...Object.values(servers).map((server) => server.close())]);
  });
  const at = (name: string, protocol: string, extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: servers[name].port, protocol, ca: certs.ca, servername: 'localhost', ...extra });

  for (const [name, protocol, greeting] of [
    ['smtp', 'smtp', /^220 .*upstate test/],
    ['smtps', 'smtps', /^220 /],
    ['imap', 'imap', /^\* OK /],
    ['imaps', 'imaps', /^\* OK /],
    ['pop3', 'pop3', /^\+OK /],
    ['pop3s', 'pop3s', /^\+OK /],
  ] as const) {
    it(`${protocol}: records the certificate like a tls check`, async () => {
      const outcome = await run({ ...at(name, protocol), minDaysValid: 30 });
      assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
      const certificate = outcome.details?.certificate as CertificateFacts;
      assert.equal(certificate.subject, 'CN=localhost');
      assert.equal(certificate.hostnameMatches, true);
      assert.deepEqual((outcome.details?.chain as ChainEntry[]).map((entry) => entry.subject), ['CN=localhost', 'CN=Upstate Test CA']);
      assert.match(String(outcome.details?.greeting), greeting);
      assert.match(String(outcome.details?.protocol), /^TLSv1\.[23]$/);
      assert.ok(outcome.timings!.tls! > 0 && outcome.timings!.firstByte! >= 0);
      if (!protocol.endsWith('s')) assert.ok(outcome.timings!.handshake! >= 0, 'STARTTLS negotiation is timed');
    });
  }

  it('an expired certificate behind STARTTLS is a tls failure that still reports the certificate', async () => {
    const outcome = await run(at('smtpExpired', 'smtp'));
    assert.equal(outcome.failure?.class, 'tls');
    assert.match(outcome.failure!.message, /certificate expired on \d{4}-\d\d-\d\d \(CERT_HAS_EXPIRED\)/);
    assert.ok((outcome.details?.certificate as CertificateFacts).expiresInMs < 0);
  });

  it('an untrusted certificate is a tls failure; verify: false passes and says why', async () => {
    const strict = await run(at('pop3SelfSigned', 'pop3', { ca: undefined }));
    assert.equal(strict.failure?.class, 'tls');
    assert.match(strict.failure!.message, /self-signed/);
    const lenient = await run(at('pop3SelfSigned', 'pop3', { ca: undefined, verify: false }));
    assert.equal(lenient.ok, true);
    assert.equal(lenient.details?.verifyError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('minDaysValid fails a certificate that expires too soon', async () => {
    const outcome = await run({ ...at('imap', 'imap'), minDaysValid: 50_000 });
    assert.equal(outcome.failure?.class, 'tls');
    assert.match(outcome.failure!.message, /expires in \d+ days \(minimum 50000 days\)/);
  });

  it('a server without STARTTLS is a protocol failure naming the protocol step', async () => {
    const smtp = await run(at('smtpRefuse', 'smtp'));
    assert.equal(smtp.failure?.class, 'protocol');
    assert.match(smtp.failure!.message, /does not offer STARTTLS/);
    const imap = await run(at('imapRefuse', 'imap'));
    assert.equal(imap.failure?.class, 'protocol');
    assert.match(imap.failure!.message, /answered STARTTLS with "u1 BAD STARTTLS not available"/);
    const pop3 = await run(at('pop3Refuse', 'pop3'));
    assert.match(pop3.failure!.message, /answered STLS with "-ERR STLS not available"/);
  });

  it('plaintext sent after the STARTTLS agreement is refused as injection', async () => {
    const outcome = await run(at('imapInject', 'imap'));
    assert.equal(outcome.failure?.class, 'protocol');
    assert.match(outcome.failure!.message, /sent data after agreeing to STARTTLS/);
  });

  it('a server that agrees and never starts TLS times out in the handshake', async () => {
    const outcome = await runToTimeout(at('imapStall', 'imap'), /in the TLS handshake with .* after STARTTLS/);
    assert.match(outcome.failure!.message, /in the TLS handshake with .* after STARTTLS/);
  });

  it('the wrong protocol, silence, garbage, drips and a closed port fail with their class', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ port: servers.pop3.port, protocol: 'smtp' }, 'protocol', /answered the connection with "\+OK upstate test POP3 ready"/],
      [{ port: servers.smtp.port, protocol: 'imaps' }, 'tls', /TLS with/],
      [{ port: hostile.ports.silent, protocol: 'smtp' }, 'timeout', /waiting for the SMTP greeting/],
      [{ port: hostile.ports.slowloris, protocol: 'pop3' }, 'timeout', /waiting for the POP3 greeting/],
      [{ port: hostile.ports.closed, protocol: 'imap' }, 'refused', /refused/],
      [{ port: hostile.tlsPorts.valid, protocol: 'imaps' }, 'timeout', /waiting for the IMAP greeting/],
    ];
    await Promise.all(
      cases.map(async ([config, cls, message]) => {
        const full = { host: '127.0.0.1', ca: certs.ca, ...config };
        const outcome = cls === 'timeout' ? await runToTimeout(full, message) : await run(full);
        assert.equal(outcome.failure?.class, cls, `${JSON.stringify(config)}: ${JSON.stringify(outcome.failure)}`);
        assert.match(outcome.failure!.message, message);
      }),
    );
  });
});
