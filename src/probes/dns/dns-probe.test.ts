import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { once } from 'node:events';
import { createDnsProbe, dnsProbe, type DnsDetails, type DnsProbeConfig } from './dns-probe.ts';
import { parseResolver } from './resolver-address.ts';
import { startDnsServer, type TestDnsServer } from '../../../test/support/dns-server.ts';
import type { ProbeContext } from '../probe.ts';
import { watchLoopLag } from '../../../test/support/loop-lag.ts';

/**
 * How long after its timeout a probe may take to come back on an idle machine. Bounds add twice
 * the event-loop lag measured meanwhile, so a busy machine widens them by exactly the delay it
 * imposed instead of failing them (see test/support/loop-lag.ts).
 */
const RETURN_GRACE_MS = 500;

function context(timeoutMs = 2000): ProbeContext {
  return {
    check: 'dns-test',
    signal: AbortSignal.timeout(timeoutMs),
    timeoutMs,
    now: () => Date.now(),
    lastHeartbeat: async () => undefined,
  };
}

const config = (input: Record<string, unknown>): DnsProbeConfig => dnsProbe.schema.parse(input);
const dnsOf = (details: Record<string, unknown> | undefined) => details?.dns as DnsDetails;

describe('dns probe against a real local DNS server (UDP)', () => {
  let server: TestDnsServer;
  const probe = createDnsProbe({ retransmitMs: 150 });

  before(async () => {
    server = await startDnsServer({
      'app.test': {
        records: [
          { type: 'A', data: '10.0.0.1' },
          { type: 'A', data: '10.0.0.2' },
          { type: 'AAAA', data: '2001:db8:0:0::1' },
          { type: 'MX', data: { preference: 10, exchange: 'Mail.App.Test.' } },
          { type: 'TXT', data: ['v=spf1 ', 'include:mail.test -all'] },
          { type: 'NS', data: 'ns1.app.test' },
        ],
      },
      'www.app.test': { records: [{ type: 'CNAME', data: 'app.test' }] },
      'broken.test': { rcode: 'SERVFAIL' },
      'refused.test': { rcode: 'REFUSED' },
      'black-hole.test': { silent: true },
      'big.test': { truncateUdp: true, records: [{ type: 'TXT', data: 'only over tcp' }] },
    });
  });
  after(() => server.close());

  it('returns the answers, rcode and resolver, with timings', async () => {
    const outcome = await probe.run(config({ name: 'app.test', resolver: server.address }), context());
    assert.equal(outcome.ok, true, outcome.failure?.message);
    assert.deepEqual(dnsOf(outcome.details), { rcode: 'NOERROR', answers: ['10.0.0.1', '10.0.0.2'], resolver: server.address });
    assert.equal(outcome.timings?.total, outcome.latencyMs);
    assert.equal(typeof outcome.timings?.firstByte, 'number');
  });

  it('passes when every expected answer is present, fails with class body when one is missing', async () => {
    const good = await probe.run(config({ name: 'app.test', resolver: server.address, answers: ['10.0.0.2'] }), context());
    assert.equal(good.ok, true);
    const bad = await probe.run(config({ name: 'app.test', resolver: server.address, answers: ['10.0.0.1', '10.9.9.9'] }), context());
    assert.equal(bad.ok, false);
    assert.equal(bad.failure?.class, 'body');
    assert.match(bad.failure!.message, /missing 10\.9\.9\.9/);
    assert.deepEqual(dnsOf(bad.details).answers, ['10.0.0.1', '10.0.0.2'], 'details are kept on failure for conditions');
  });

  it('formats and matches AAAA, MX, TXT, NS and CNAME answers canonically', async () => {
    const cases: Array<[string, string, string[], string[]]> = [
      ['app.test', 'AAAA', ['2001:DB8::1'], ['2001:db8::1']],
      ['app.test', 'mx', ['mail.app.test'], ['10 mail.app.test']],
      ['app.test', 'MX', ['10 MAIL.app.test.'], ['10 mail.app.test']],
      ['app.test', 'TXT', ['v=spf1 include:mail.test -all'], ['v=spf1 include:mail.test -all']],
      ['app.test', 'NS', ['ns1.app.test'], ['ns1.app.test']],
      ['www.app.test', 'CNAME', ['app.test.'], ['app.test']],
    ];
    for (const [name, type, expected, answers] of cases) {
      const outcome = await probe.run(config({ name, type, resolver: server.address, answers: expected }), context());
      assert.equal(outcome.ok, true, `${name} ${type}: ${outcome.failure?.message}`);
      assert.deepEqual(dnsOf(outcome.details).answers, answers, `${name} ${type}`);
    }
    const wrongMx = await probe.run(config({ name: 'app.test', type: 'MX', resolver: server.address, answers: ['20 mail.app.test'] }), context());
    assert.equal(wrongMx.failure?.class, 'body');
  });

  it('fails with class body when NOERROR comes back without a record of the type', async () => {
    const outcome = await probe.run(config({ name: 'www.app.test', type: 'TXT', resolver: server.address }), context());
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /no TXT records/);
    assert.equal(dnsOf(outcome.details).rcode, 'NOERROR');
  });

  it('reports NXDOMAIN, SERVFAIL and REFUSED as class dns with the rcode', async () => {
    for (const [name, rcode] of [['nope.test', 'NXDOMAIN'], ['broken.test', 'SERVFAIL'], ['refused.test', 'REFUSED']]) {
      const outcome = await probe.run(config({ name, resolver: server.address }), context());
      assert.equal(outcome.ok, false);
      assert.equal(outcome.failure?.class, 'dns', name);
      assert.match(outcome.failure!.message, new RegExp(`${rcode}.*expected NOERROR`));
      assert.deepEqual(dnsOf(outcome.details), { rcode, answers: [], resolver: server.address });
    }
  });

  it('can assert that a name does NOT exist', async () => {
    const absent = await probe.run(config({ name: 'nope.test', resolver: server.address, rcode: 'nxdomain' }), context());
    assert.equal(absent.ok, true, absent.failure?.message);
    const present = await probe.run(config({ name: 'app.test', resolver: server.address, rcode: 'NXDOMAIN' }), context());
    assert.equal(present.failure?.class, 'status');
  });

  it('times out (class timeout) at its signal when the resolver never answers, retransmitting meanwhile', async () => {
    const before = server.queries.filter((q) => q.name === 'black-hole.test').length;
    const ctx = context(600);
    const lag = watchLoopLag();
    const outcome = await probe.run(config({ name: 'black-hole.test', resolver: server.address }), ctx);
    const signalFired = ctx.signal.aborted;
    const maxLagMs = await lag.stop();
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.class, 'timeout');
    assert.match(outcome.failure!.message, new RegExp(`no answer from resolver 127\\.0\\.0\\.1:\\d+ for black-hole\\.test A after ${outcome.latencyMs}ms`));
    assert.equal(signalFired, true, 'waited for the signal, not less');
    const bound = 600 + RETURN_GRACE_MS + 2 * maxLagMs;
    assert.ok(outcome.latencyMs <= bound, `reported ${outcome.latencyMs} ms; bound ${bound} ms (event-loop lag up to ${maxLagMs} ms)`);
    // retransmitted every 150 ms meanwhile: even a fully starved process fires the first
    // retransmission timer before the later abort
    const sent = server.queries.filter((q) => q.name === 'black-hole.test').length - before;
    assert.ok(sent >= 2, `expected UDP retransmissions, saw ${sent} queries`);
  });

  it('returns at once when the signal is already aborted', async () => {
    const ctx = { ...context(), signal: AbortSignal.abort() };
    const outcome = await probe.run(config({ name: 'app.test', resolver: server.address }), ctx);
    assert.equal(outcome.failure?.class, 'timeout');
  });

  it('retries over TCP when the UDP reply is truncated', async () => {
    const outcome = await probe.run(config({ name: 'big.test', type: 'TXT', resolver: server.address }), context());
    assert.equal(outcome.ok, true, outcome.failure?.message);
    assert.deepEqual(dnsOf(outcome.details).answers, ['only over tcp']);
    assert.deepEqual(
      server.queries.filter((q) => q.name === 'big.test').map((q) => q.transport),
      ['udp', 'tcp'],
    );
  });

  it('reports an unreachable resolver (nothing on the port) as class dns, quickly', async () => {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    // a timeout far beyond any scheduling delay: "quickly" means the refusal ended the check, not the signal
    const ctx = context(15_000);
    const outcome = await probe.run(config({ name: 'app.test', resolver: `127.0.0.1:${port}` }), ctx);
    assert.equal(outcome.failure?.class, 'dns');
    assert.match(outcome.failure!.message, /unreachable.*ECONNREFUSED/);
    assert.equal(ctx.signal.aborted, false, 'answered by the refusal, not by waiting out the timeout');
  });

  it('reports an undecodable reply as class protocol', async () => {
    const junk = dgram.createSocket('udp4');
    junk.on('message', (_message, remote) => junk.send(Buffer.from('not dns'), remote.port, remote.address));
    junk.bind(0, '127.0.0.1');
    await once(junk, 'listening');
    try {
      const outcome = await probe.run(config({ name: 'app.test', resolver: `127.0.0.1:${junk.address().port}` }), context());
      assert.equal(outcome.failure?.class, 'protocol', outcome.failure?.message);
      assert.match(outcome.failure!.message, /undecodable reply/);
    } finally {
      await new Promise<void>((resolve) => junk.close(() => resolve()));
    }
  });

  it('reports a resolver host name that does not resolve as a failure instead of crashing', async () => {
    const outcome = await probe.run(config({ name: 'app.test', resolver: 'no-such-resolver.invalid:53' }), context(1500));
    assert.equal(outcome.ok, false);
    // getaddrinfo answers ENOTFOUND at once where a hosts file/resolver exists; a sandbox
    // without any resolver may instead hang until the signal fires.
    assert.ok(['dns', 'timeout'].includes(outcome.failure!.class), outcome.failure!.message);
  });
});

describe('dns probe through the system resolver path (node:dns aimed at the local server)', () => {
  let server: TestDnsServer;
  let probe: ReturnType<typeof createDnsProbe>;

  before(async () => {
    server = await startDnsServer({
      'app.test': { records: [{ type: 'A', data: '10.0.0.1' }, { type: 'MX', data: { preference: 5, exchange: 'mx.app.test' } }] },
      'broken.test': { rcode: 'SERVFAIL' },
      'refused.test': { rcode: 'REFUSED' },
      'black-hole.test': { silent: true },
    });
    probe = createDnsProbe({
      systemResolver: ({ timeoutMs }) => {
        const resolver = new dnsPromises.Resolver({ timeout: Math.floor(timeoutMs / 2), tries: 2 });
        resolver.setServers([server.address]);
        return resolver;
      },
    });
  });
  after(() => server.close());

  it('returns answers with resolver "system"', async () => {
    const outcome = await probe.run(config({ name: 'app.test', answers: ['10.0.0.1'] }), context());
    assert.equal(outcome.ok, true, outcome.failure?.message);
    assert.deepEqual(dnsOf(outcome.details), { rcode: 'NOERROR', answers: ['10.0.0.1'], resolver: 'system' });
    const mx = await probe.run(config({ name: 'app.test', type: 'MX' }), context());
    assert.deepEqual(dnsOf(mx.details).answers, ['5 mx.app.test']);
  });

  it('maps node:dns errors back to rcodes (ENOTFOUND → NXDOMAIN, ESERVFAIL → SERVFAIL, EREFUSED → REFUSED)', async () => {
    for (const [name, rcode] of [['nope.test', 'NXDOMAIN'], ['broken.test', 'SERVFAIL'], ['refused.test', 'REFUSED']]) {
      const outcome = await probe.run(config({ name }), context());
      assert.equal(outcome.failure?.class, 'dns', `${name}: ${outcome.failure?.message}`);
      assert.equal(dnsOf(outcome.details).rcode, rcode, name);
    }
  });

  it('times out within its timeout when the resolver never answers', async () => {
    const lag = watchLoopLag();
    const outcome = await probe.run(config({ name: 'black-hole.test' }), context(600));
    const maxLagMs = await lag.stop();
    assert.equal(outcome.failure?.class, 'timeout');
    assert.match(outcome.failure!.message, /the system resolver/);
    const bound = 600 + RETURN_GRACE_MS + 2 * maxLagMs;
    assert.ok(outcome.latencyMs <= bound, `reported ${outcome.latencyMs} ms; bound ${bound} ms (event-loop lag up to ${maxLagMs} ms)`);
  });
});

describe('dns probe config', () => {
  it('applies defaults, upper-cases type and rcode, and rejects unknown keys and bad values', () => {
    assert.deepEqual(config({ name: 'example.com' }), { name: 'example.com', type: 'A', rcode: 'NOERROR' });
    assert.equal(config({ name: 'example.com', type: 'txt' }).type, 'TXT');
    for (const bad of [
      { name: 'example.com', extra: 1 },
      { name: 'example.com', type: 'SOA' },
      { name: 'not a name' },
      { name: 'example.com', resolver: '1.1.1.1:99999' },
      { name: 'example.com', answers: [] },
      { name: 'example.com', rcode: 'MAYBE' },
    ]) {
      assert.equal(dnsProbe.schema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('parses resolver addresses', () => {
    assert.deepEqual(parseResolver('1.1.1.1'), { host: '1.1.1.1', port: 53 });
    assert.deepEqual(parseResolver('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseResolver('[::1]:5353'), { host: '::1', port: 5353 });
    assert.deepEqual(parseResolver('2001:db8::53'), { host: '2001:db8::53', port: 53 });
    assert.deepEqual(parseResolver('ns1.example.com:53'), { host: 'ns1.example.com', port: 53 });
    assert.equal(parseResolver('[nope]:53'), undefined);
    assert.equal(parseResolver('a:b:c'), undefined);
  });

  it('describes the target without secrets', () => {
    assert.equal(dnsProbe.describe(config({ name: 'example.com', type: 'mx', resolver: '9.9.9.9' })), 'example.com MX @9.9.9.9');
  });
});
