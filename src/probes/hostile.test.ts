/**
 * Every probe against every hostile fixture: each misbehaving target must come back as data —
 * the right failure class, a message that names the problem — and a target that never answers
 * must end the check at its timeout, driven only by the AbortSignal the scheduler would hand it.
 *
 * Holds on a busy machine: the fixtures run in their own process (hostile-process.ts), cases
 * with a definite answer get a timeout far beyond any scheduling delay (their class must not
 * depend on load), and "promptly after the signal" is judged by the probe's own reported latency
 * against its timeout plus the event-loop lag this process measured meanwhile (expect-timeout.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FailureClass, ProbeOutcome } from '../domain/result.ts';
import type { Probe, ProbeContext } from './probe.ts';
import { httpProbe } from './http/http-probe.ts';
import { tcpProbe } from './tcp/tcp-probe.ts';
import { tlsProbe } from './tls/tls-probe.ts';
import { udpProbe } from './udp/udp-probe.ts';
import { sshProbe } from './ssh/ssh-probe.ts';
import { starttlsProbe } from './starttls/starttls-probe.ts';
import { websocketProbe } from './websocket/websocket-probe.ts';
import { grpcProbe } from './grpc/grpc-probe.ts';
import { postgresProbe } from './postgres/postgres-probe.ts';
import { mysqlProbe } from './mysql/mysql-probe.ts';
import { redisProbe } from './redis/redis-probe.ts';
import { stepsProbe } from './steps/steps-probe.ts';
import type { HostileServers } from '../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../test/support/hostile/hostile-process.ts';
import { expectAnswer, expectTimeout, RETURN_GRACE_MS } from '../../test/support/expect-timeout.ts';
import { testProbeContext } from '../../test/support/hostile/probe-context.ts';
import { runHostileSoak } from '../../test/support/hostile/soak.ts';

/** Timeout of the cases that must time out (the target never answers). */
const TIMEOUT_MS = 1000;
/** A node:test limit that only a hung probe reaches (it fails the test instead of hanging the run). */
const HANG_LIMIT_MS = 60_000;

interface HostileCase {
  name: string;
  probe: Probe<any>;
  config: (s: HostileServers) => Record<string, unknown> | unknown[];
  /** Expected class, or 'ok'. */
  expect: FailureClass | 'ok';
  message?: RegExp;
  check?: (outcome: ProbeOutcome, s: HostileServers) => void;
}

const raw = (port: number, path = '/') => `http://127.0.0.1:${port}${path}`;

const cases: HostileCase[] = [
  { name: 'http 200 OK', probe: httpProbe, config: (s) => ({ url: `${s.http}/ok`, bodyContains: 'OK' }), expect: 'ok' },
  { name: 'http 500', probe: httpProbe, config: (s) => ({ url: `${s.http}/status/500` }), expect: 'status', message: /status 500, expected 200-399/ },
  { name: 'slow response', probe: httpProbe, config: (s) => ({ url: `${s.http}/slow/30000` }), expect: 'timeout', message: /timed out after \d+ ms waiting for the response headers/ },
  { name: 'slowloris headers', probe: httpProbe, config: (s) => ({ url: raw(s.ports.slowloris) }), expect: 'timeout', message: /timed out after \d+ ms waiting for the response headers/ },
  { name: 'body that never ends', probe: httpProbe, config: (s) => ({ url: `${s.http}/endless` }), expect: 'timeout', message: /timed out after \d+ ms reading the body/ },
  {
    name: '100 MB body is capped, not downloaded',
    probe: httpProbe,
    config: (s) => ({ url: `${s.http}/big` }),
    expect: 'ok',
    check: (outcome) => {
      assert.equal(outcome.details?.bodyTruncated, true);
      assert.ok((outcome.details?.bodyBytes as number) < 4 * 1024 * 1024, `read ${outcome.details?.bodyBytes} bytes`);
      assert.equal(outcome.body?.length, 64 * 1024, 'only the first 64 KiB is kept');
    },
  },
  { name: 'redirect loop', probe: httpProbe, config: (s) => ({ url: `${s.http}/redirect-loop/a` }), expect: 'status', message: /redirect loop: \/redirect-loop\/a → \/redirect-loop\/b → \/redirect-loop\/a/ },
  { name: 'endless redirect chain', probe: httpProbe, config: (s) => ({ url: `${s.http}/redirect-chain/1` }), expect: 'status', message: /too many redirects \(more than 5/ },
  { name: 'RST in the middle of the body', probe: httpProbe, config: (s) => ({ url: `${s.http}/reset-mid-body` }), expect: 'reset', message: /closed or reset by the peer while reading the body/ },
  { name: 'closed port (http)', probe: httpProbe, config: (s) => ({ url: raw(s.ports.closed) }), expect: 'refused', message: /refused or unreachable \(ECONNREFUSED\)/ },
  { name: 'accepts but never answers (http)', probe: httpProbe, config: (s) => ({ url: raw(s.ports.silent) }), expect: 'timeout', message: /waiting for the response headers/ },
  { name: 'garbage instead of HTTP', probe: httpProbe, config: (s) => ({ url: raw(s.ports.garbage) }), expect: 'protocol', message: /does not match the HTTP\/1\.1 protocol/ },
  { name: 'unresolvable host', probe: httpProbe, config: () => ({ url: 'http://no-such-host.invalid/' }), expect: 'dns', message: /could not resolve no-such-host\.invalid/ },
  {
    name: 'https with the custom CA',
    probe: httpProbe,
    config: (s) => ({ url: `${s.https.valid}/json`, tls: { ca: s.certs.caPath }, json: { '$.status': 'ok' } }),
    expect: 'ok',
    check: (outcome) => {
      const cert = outcome.details?.certificate as Record<string, unknown>;
      assert.equal(cert.subject, 'CN=localhost');
      assert.equal(cert.issuer, 'CN=Upstate Test CA');
      assert.equal(cert.hostnameMatches, true);
      assert.ok((cert.expiresInMs as number) > 50 * 365 * 86_400_000);
      assert.ok(outcome.timings?.tls !== undefined && outcome.timings.connect !== undefined);
    },
  },
  { name: 'https without the custom CA', probe: httpProbe, config: (s) => ({ url: `${s.https.valid}/ok` }), expect: 'tls', message: /issuer is not trusted \(issuer CN=Upstate Test CA\)/ },
  {
    name: 'https expired certificate',
    probe: httpProbe,
    config: (s) => ({ url: `${s.https.expired}/ok`, tls: { ca: s.certs.ca } }),
    expect: 'tls',
    message: /certificate expired on 2000-12-31/,
    check: (outcome) => assert.ok(((outcome.details?.certificate as { expiresInMs: number }).expiresInMs) < 0, 'facts still reported'),
  },
  { name: 'https self-signed certificate', probe: httpProbe, config: (s) => ({ url: `${s.https.selfSigned}/ok` }), expect: 'tls', message: /self-signed/ },
  {
    name: 'https wrong-hostname certificate',
    probe: httpProbe,
    config: (s) => ({ url: `${s.https.wrongHost}/ok`, tls: { ca: s.certs.ca } }),
    expect: 'tls',
    message: /does not match the host name \(subject CN=wrong\.example\)/,
    check: (outcome) => assert.equal((outcome.details?.certificate as { hostnameMatches: boolean }).hostnameMatches, false),
  },
  { name: 'https to a port that never answers', probe: httpProbe, config: (s) => ({ url: `https://127.0.0.1:${s.ports.silent}/` }), expect: 'timeout', message: /timed out after \d+ ms in the TLS handshake with https:\/\/127\.0\.0\.1/ },
  { name: 'https to a plain-HTTP port', probe: httpProbe, config: (s) => ({ url: `https://127.0.0.1:${new URL(s.http).port}/ok` }), expect: 'tls', message: /wrong version number/ },
  { name: 'tls expired', probe: tlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.tlsPorts.expired, ca: s.certs.ca }), expect: 'tls', message: /certificate expired on 2000-12-31/ },
  { name: 'tls self-signed', probe: tlsProbe, config: (s) => ({ host: 'localhost', port: s.tlsPorts.selfSigned }), expect: 'tls', message: /self-signed/ },
  { name: 'tls wrong host', probe: tlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.tlsPorts.wrongHost, ca: s.certs.ca }), expect: 'tls', message: /does not match the host name/ },
  { name: 'tls on a silent port', probe: tlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent }), expect: 'timeout', message: /timed out after \d+ ms in the TLS handshake with 127\.0\.0\.1/ },
  { name: 'tls on a garbage port', probe: tlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage }), expect: 'tls', message: /TLS with 127\.0\.0\.1:\d+ failed/ },
  { name: 'tls on a closed port', probe: tlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.closed }), expect: 'refused' },
  { name: 'tcp closed port', probe: tcpProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.closed }), expect: 'refused', message: /127\.0\.0\.1:\d+ refused/ },
  { name: 'tcp silent banner', probe: tcpProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent, expect: 'SSH-' }), expect: 'timeout', message: /waiting for "SSH-"/ },
  { name: 'tcp slowloris banner', probe: tcpProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris, expect: 'never' }), expect: 'timeout', message: /waiting for "never" from 127\.0\.0\.1:\d+ \(got "H/ },
  { name: 'tcp closed before the banner', probe: tcpProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage, send: 'hi\r\n', expect: '220 ' }), expect: 'body', message: /closed the connection without sending "220 "/ },
  { name: 'tcp unresolvable host', probe: tcpProbe, config: () => ({ host: 'no-such-host.invalid', port: 25 }), expect: 'dns' },
];

/** The socket kinds beyond http/tcp/tls, run as a second concurrent group so each group's load stays as it was. */
const moreCases: HostileCase[] = [
  { name: 'udp echo', probe: udpProbe, config: (s) => ({ host: '127.0.0.1', port: s.udpPorts.echo, send: 'ping', expect: 'PONG ping' }), expect: 'ok' },
  { name: 'udp silent', probe: udpProbe, config: (s) => ({ host: '127.0.0.1', port: s.udpPorts.silent, send: 'ping' }), expect: 'timeout', message: /timed out after \d+ ms waiting for a reply/ },
  { name: 'udp garbage reply', probe: udpProbe, config: (s) => ({ host: '127.0.0.1', port: s.udpPorts.garbage, send: 'ping', expect: 'PONG' }), expect: 'body', message: /replied hex 00fffe1337/ },
  { name: 'udp closed port', probe: udpProbe, config: (s) => ({ host: '127.0.0.1', port: s.udpPorts.closed, send: 'ping' }), expect: 'refused' },
  { name: 'ssh on a silent port', probe: sshProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent }), expect: 'timeout', message: /waiting for the SSH identification/ },
  { name: 'ssh login on a silent port', probe: sshProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent, username: 'u', password: 'p' }), expect: 'timeout' },
  { name: 'ssh on a slowloris port', probe: sshProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris }), expect: 'timeout', message: /waiting for the SSH identification/ },
  { name: 'ssh on an HTTP port', probe: sshProbe, config: (s) => ({ host: '127.0.0.1', port: Number(new URL(s.http).port) }), expect: 'protocol', message: /does not speak SSH/ },
  { name: 'ssh login against a fake banner', probe: sshProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage, username: 'u', password: 'p' }), expect: 'protocol' },
  { name: 'ssh closed port', probe: sshProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.closed }), expect: 'refused' },
  { name: 'starttls smtp on a silent port', probe: starttlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent, protocol: 'smtp' }), expect: 'timeout', message: /waiting for the SMTP greeting/ },
  { name: 'starttls imap on a slowloris port', probe: starttlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris, protocol: 'imap' }), expect: 'timeout', message: /waiting for the IMAP greeting/ },
  { name: 'starttls smtp against a banner without STARTTLS', probe: starttlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.banner, protocol: 'smtp' }), expect: 'timeout', message: /waiting for the EHLO reply/ },
  { name: 'starttls imaps on a garbage port', probe: starttlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage, protocol: 'imaps' }), expect: 'tls' },
  { name: 'starttls pop3 closed port', probe: starttlsProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.closed, protocol: 'pop3' }), expect: 'refused' },
  { name: 'websocket on a silent port', probe: websocketProbe, config: (s) => ({ url: `ws://127.0.0.1:${s.ports.silent}/` }), expect: 'timeout', message: /in the WebSocket handshake/ },
  { name: 'websocket on a slowloris port', probe: websocketProbe, config: (s) => ({ url: `ws://127.0.0.1:${s.ports.slowloris}/` }), expect: 'timeout', message: /in the WebSocket handshake/ },
  { name: 'websocket on a garbage port', probe: websocketProbe, config: (s) => ({ url: `ws://127.0.0.1:${s.ports.garbage}/` }), expect: 'protocol' },
  { name: 'websocket to plain HTTP', probe: websocketProbe, config: (s) => ({ url: `${s.http.replace('http', 'ws')}/ok` }), expect: 'status', message: /HTTP 200 instead of 101/ },
  { name: 'wss expired certificate', probe: websocketProbe, config: (s) => ({ url: `${s.https.expired.replace('https', 'wss')}/`, tls: { ca: s.certs.ca } }), expect: 'tls', message: /certificate expired on 2000-12-31/ },
];

/**
 * The issue 18 kinds: a port that accepts and never answers, garbage, and a slow drip of bytes.
 * A group of their own, run after the first, so the two batches of concurrent 1 s checks do not
 * compete for a small machine's CPU (grpc and pg set-up is heavier than an http request).
 */
const driverCases: HostileCase[] = [
  { name: 'grpc silent', probe: grpcProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent }), expect: 'timeout', message: /timed out after \d+ ms waiting for the health check/ },
  { name: 'grpc garbage', probe: grpcProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage }), expect: 'protocol' },
  { name: 'grpc slow drip', probe: grpcProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris }), expect: 'timeout' },
  { name: 'grpc tls on a silent port', probe: grpcProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent, tls: true }), expect: 'timeout' },
  { name: 'postgres silent', probe: postgresProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent }), expect: 'timeout', message: /timed out after \d+ ms logging in to 127\.0\.0\.1/ },
  { name: 'postgres garbage', probe: postgresProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage }), expect: 'protocol' },
  { name: 'postgres slow drip', probe: postgresProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris }), expect: 'timeout' },
  { name: 'mysql silent', probe: mysqlProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent }), expect: 'timeout', message: /timed out after \d+ ms logging in to/ },
  // '220 …' read as a MySQL packet header claims a ~3 MB packet: the driver waits for it, the timeout ends it
  { name: 'mysql SMTP banner instead of a greeting', probe: mysqlProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.banner }), expect: 'timeout', message: /logging in to/ },
  { name: 'mysql slow drip', probe: mysqlProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris }), expect: 'timeout' },
  { name: 'redis silent', probe: redisProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.silent }), expect: 'timeout', message: /waiting for the PING reply/ },
  { name: 'redis garbage', probe: redisProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.garbage }), expect: 'protocol', message: /not a RESP reply/ },
  { name: 'redis slow drip', probe: redisProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.slowloris }), expect: 'protocol' },
  { name: 'redis closed', probe: redisProbe, config: (s) => ({ host: '127.0.0.1', port: s.ports.closed }), expect: 'refused' },
  {
    name: 'steps: second step hits a slow drip',
    probe: stepsProbe,
    config: (s) => [{ name: 'ok', url: `${s.http}/ok` }, { name: 'drip', url: raw(s.ports.slowloris) }],
    expect: 'timeout',
    message: /^step 2 "drip": timed out after \d+ ms waiting for the response headers/,
  },
  { name: 'steps: garbage in the first step', probe: stepsProbe, config: (s) => [{ name: 'first', url: raw(s.ports.garbage) }], expect: 'protocol', message: /^step 1 "first": / },
];

describe('probes against hostile targets', () => {
  let servers: HostileServers;
  before(async () => {
    servers = await startHostileProcess();
    // The database and grpc kinds load their drivers on first use (hundreds of ms of CPU); load
    // them up front so the concurrent 1 s cases measure the targets, not module loading.
    await Promise.all([import('pg'), import('mysql2'), import('@grpc/grpc-js'), import('grpc-health-check')]);
  });
  after(async () => {
    await servers.close();
  });

  // Concurrent within a group: most cases wait out their 1 s timeout, and each measures only itself.
  const groups = [
    ['http, tcp, tls', cases],
    ['udp, ssh, starttls, websocket', moreCases],
    ['grpc, postgres, mysql, redis, steps', driverCases],
  ] as const;
  for (const [group, groupCases] of groups) describe(`each hostile case (${group})`, { concurrency: true }, () => {
    for (const testCase of groupCases) {
      it(`${testCase.name} → ${testCase.expect}`, { timeout: HANG_LIMIT_MS }, async () => {
        const config = testCase.probe.schema.parse(testCase.config(servers));
        const run = (ctx: ProbeContext) => testCase.probe.run(config, ctx);
        const outcome =
          testCase.expect === 'timeout'
            ? await expectTimeout(run, { timeoutMs: TIMEOUT_MS, phase: testCase.message, name: testCase.name })
            : await expectAnswer(run);
        assert.ok(outcome.latencyMs > 0);
        assert.equal(outcome.timings?.total, outcome.latencyMs);
        if (testCase.expect === 'ok') {
          assert.equal(outcome.ok, true, `expected ok, got ${JSON.stringify(outcome.failure)}`);
          assert.equal(outcome.failure, undefined);
        } else {
          assert.equal(outcome.ok, false);
          assert.equal(outcome.failure?.class, testCase.expect, `got ${JSON.stringify(outcome.failure)}`);
          assert.ok(outcome.failure.message.length > 10);
        }
        if (testCase.message) assert.match(outcome.failure?.message ?? '', testCase.message);
        testCase.check?.(outcome, servers);
      });
    }
  });
  it('an already-aborted signal returns a timeout at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = { ...testProbeContext(TIMEOUT_MS), signal: controller.signal };
    for (const [probe, config] of [
      [httpProbe, { url: `${servers.http}/ok` }],
      [tcpProbe, { host: '127.0.0.1', port: servers.ports.banner }],
      [tlsProbe, { host: '127.0.0.1', port: servers.tlsPorts.valid }],
      [udpProbe, { host: '127.0.0.1', port: servers.udpPorts.echo, send: 'x' }],
      [sshProbe, { host: '127.0.0.1', port: servers.ports.banner }],
      [starttlsProbe, { host: '127.0.0.1', port: servers.ports.banner, protocol: 'smtp' }],
      [websocketProbe, { url: `${servers.http.replace('http', 'ws')}/ok` }],
      [grpcProbe, { host: '127.0.0.1', port: servers.ports.silent }],
      [postgresProbe, { host: '127.0.0.1', port: servers.ports.silent }],
      [mysqlProbe, { host: '127.0.0.1', port: servers.ports.silent }],
      [redisProbe, { host: '127.0.0.1', port: servers.ports.banner }],
      [stepsProbe, [{ url: `${servers.http}/ok` }]],
    ] as const) {
      const outcome = await (probe as Probe<any>).run((probe as Probe<any>).schema.parse(config), ctx);
      assert.equal(outcome.failure?.class, 'timeout', `${probe.kind}: ${JSON.stringify(outcome.failure)}`);
    }
  });

  it('soak: 2,000 hostile checks keep RSS growth bounded', async () => {
    const report = await runHostileSoak({ servers, n: 2000, concurrency: 50, timeoutMs: 300, warmup: 300 });
    const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
    // Visible in the test output so the figure can be tracked.
    console.log(`soak: ${report.checks} checks in ${report.durationMs} ms, RSS ${mb(report.rssBefore)} → ${mb(report.rssAfter)} MB (growth ${mb(report.rssGrowth)} MB), heap ${mb(report.heapUsedBefore)} → ${mb(report.heapUsedAfter)} MB, slowest ${report.slowestMs} ms, overrun ${report.overrunMs} ms, event-loop lag up to ${report.maxLagMs} ms, ${JSON.stringify(report.byClass)}`);
    assert.equal(Object.values(report.byClass).reduce((a, b) => a + b, 0), 2000);
    assert.ok(report.byClass.ok > 0 && report.byClass.timeout > 0 && report.byClass.tls > 0, 'the mix really exercised passing and failing targets');
    assert.ok(report.rssGrowth < 100 * 1048576, `RSS grew ${mb(report.rssGrowth)} MB`);
    // Judged by the probes' own latencies against their timeout, allowing for the lag measured meanwhile.
    const bound = RETURN_GRACE_MS + 2 * report.maxLagMs;
    assert.ok(report.overrunMs <= bound, `a never-answering target held a check ${report.overrunMs} ms past its timeout; bound ${bound} ms`);
  });
});
