import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIcmpProbe, icmpProbe, pingArguments, type IcmpConfig } from './icmp-probe.ts';
import { parsePingOutput } from './ping-output.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';
import { expectAnswer } from '../../../test/support/expect-timeout.ts';
import type { Probe } from '../probe.ts';
import type { PingStats } from './ping-output.ts';

const parse = (config: Record<string, unknown>): IcmpConfig => icmpProbe.schema.parse(config);
/**
 * Every case but the last has a definite answer (ping's own verdict, its last-reply wait capped
 * at 2 s): run with ANSWER_TIMEOUT_MS and judged to answer before the signal, so a busy machine
 * cannot turn it into a timeout.
 */
const answer = (probe: Probe<IcmpConfig>, config: Record<string, unknown>) => expectAnswer((ctx) => probe.run(parse(config), ctx));
const hasPing = spawnSync('ping', ['-V']).status === 0;
/** Network namespaces need CAP_SYS_ADMIN; without it those cases are skipped (and say so). */
const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;

describe('icmp probe config', () => {
  it('defaults count 3 and a 1s interval, and rejects what ping would refuse', () => {
    const config = parse({ host: '127.0.0.1' });
    assert.equal(config.count, 3);
    assert.equal(config.interval, 1000);
    assert.equal(icmpProbe.describe(config), '127.0.0.1');
    assert.equal(icmpProbe.schema.safeParse({ host: '127.0.0.1', interval: '100ms' }).success, false);
    assert.equal(icmpProbe.schema.safeParse({ host: '-f' }).success, false, 'a host cannot smuggle in an option');
    assert.equal(icmpProbe.schema.safeParse({ host: '127.0.0.1', count: 0 }).success, false);
  });

  it('fits the last-reply wait into the timeout', () => {
    assert.deepEqual(pingArguments(parse({ host: 'h', count: 3, interval: '200ms' }), 2000), ['-n', '-c', '3', '-i', '0.2', '-W', '1.5', 'h']);
    assert.deepEqual(pingArguments(parse({ host: 'h', count: 1, ipFamily: 6 }), 10_000), ['-n', '-c', '1', '-i', '1', '-W', '2.0', '-6', 'h']);
  });
});

describe('ping output', () => {
  it('counts distinct replies and computes loss and rtt', () => {
    const out = [
      '64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=1.50 ms',
      '64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=1.70 ms (DUP!)',
      '64 bytes from 10.0.0.1: icmp_seq=3 ttl=64 time=2.50 ms',
      '4 packets transmitted, 2 received, +1 duplicates, 50% packet loss, time 3004ms',
    ].join('\n');
    assert.deepEqual(parsePingOutput(out, 4), { sent: 4, received: 2, loss: 50, rtt: { min: 1.5, avg: 2, max: 2.5 } });
    assert.deepEqual(parsePingOutput('', 3), { sent: 3, received: 0, loss: 100 });
  });
});

describe('icmp probe', { skip: hasPing ? false : 'no ping program on this machine (install iputils-ping)' }, () => {
  it('pings 127.0.0.1: no loss, round trips reported, latency is the average rtt', async () => {
    const outcome = await answer(icmpProbe, { host: '127.0.0.1', count: 3, interval: '200ms' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    const stats = outcome.details?.icmp as PingStats;
    assert.equal(stats.sent, 3);
    assert.equal(stats.received, 3);
    assert.equal(stats.loss, 0);
    assert.ok(stats.rtt && stats.rtt.min > 0 && stats.rtt.min <= stats.rtt.avg && stats.rtt.avg <= stats.rtt.max);
    assert.equal(outcome.latencyMs, stats.rtt.avg);
    assert.ok(outcome.timings!.total >= 400, 'two 200ms gaps between three requests');
  });

  // In its own namespace the resolver lookup cannot leave the machine either.
  it('an unresolvable name is a dns failure', { skip: canUnshare ? false : 'cannot create a network namespace here' }, async () => {
    const probe = createIcmpProbe({ command: ['unshare', '-n', 'ping'] });
    const outcome = await answer(probe, { host: 'no-such-host.invalid', count: 1 });
    assert.equal(outcome.failure?.class, 'dns', JSON.stringify(outcome.failure));
  });

  it('a missing ping program is a clear failure', async () => {
    const probe = createIcmpProbe({ command: ['/nonexistent/ping'] });
    const outcome = await answer(probe, { host: '127.0.0.1', count: 1 });
    assert.equal(outcome.failure?.class, 'protocol');
    assert.match(outcome.failure!.message, /no ping program on this host \(install iputils-ping\)/);
  });

  // A copy of ping without its file capability, run as nobody: neither a raw socket nor (with the
  // default ping_group_range "1 0") an ICMP datagram socket is allowed.
  const pingGroupClosed = spawnSync('sh', ['-c', 'cat /proc/sys/net/ipv4/ping_group_range']).stdout?.toString().trim() === '1\t0';
  const canDrop = process.getuid?.() === 0 && spawnSync('setpriv', ['--help']).status === 0 && pingGroupClosed;
  it('says what the host needs when ICMP is not permitted', { skip: canDrop ? false : 'needs root, setpriv and the default ping_group_range' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-ping-'));
    const plain = join(dir, 'ping');
    copyFileSync(execFileSync('sh', ['-c', 'command -v ping']).toString().trim(), plain);
    const probe = createIcmpProbe({ command: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', plain] });
    const outcome = await answer(probe, { host: '127.0.0.1', count: 1 });
    assert.equal(outcome.ok, false);
    assert.match(outcome.failure!.message, /ICMP is not permitted on this host .*ping_group_range.*cap_net_raw/);
  });

  // Inside a fresh network namespace nothing can leave the machine: it has only its own loopback.
  it('an unreachable network is refused', { skip: canUnshare ? false : 'cannot create a network namespace here' }, async () => {
    const probe = createIcmpProbe({ command: ['unshare', '-n', 'ping'] }); // loopback down: no route at all
    const outcome = await answer(probe, { host: '192.0.2.1', count: 1 });
    assert.equal(outcome.failure?.class, 'refused', JSON.stringify(outcome.failure));
    assert.match(outcome.failure!.message, /192\.0\.2\.1 is unreachable/);
  });

  it('a host that never answers is a timeout with 100% loss', { skip: canUnshare ? false : 'cannot create a network namespace here' }, async () => {
    // Loopback up and 192.0.2.0/24 routed to it: requests go out on lo and nobody answers.
    const probe = createIcmpProbe({ command: ['unshare', '-n', 'sh', '-c', 'ip link set lo up && ip route add 192.0.2.0/24 dev lo && exec ping "$@"', 'ping'] });
    const outcome = await answer(probe, { host: '192.0.2.1', count: 2, interval: '200ms' });
    assert.equal(outcome.failure?.class, 'timeout', JSON.stringify(outcome.failure));
    assert.match(outcome.failure!.message, /no reply from 192\.0\.2\.1 to 2 pings \(100% loss\)/);
    assert.deepEqual(outcome.details?.icmp, { sent: 2, received: 0, loss: 100 });
  });

  it('the check timeout cuts ping short and keeps the replies seen so far', async () => {
    // 20 requests a second apart cannot finish in 3 s: the signal kills ping mid-run. 3 s, not
    // less, so that even a ping started late on a busy machine has seen its first reply.
    const ctx = testProbeContext(3000);
    const outcome = await icmpProbe.run(parse({ host: '127.0.0.1', count: 20, interval: '1s' }), ctx);
    assert.equal(ctx.signal.aborted, true, 'ended by the signal');
    const stats = outcome.details?.icmp as PingStats;
    assert.ok(stats.received >= 1 && stats.received < 20, `received ${stats.received}`);
    assert.equal(outcome.ok, true, 'some replies came back, so the host is up; loss says the rest');
    assert.ok(stats.loss > 0);
  });
});
