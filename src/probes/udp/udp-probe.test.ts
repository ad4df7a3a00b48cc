import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { udpProbe } from './udp-probe.ts';
import { closedUdpPort, startUdpEcho, startUdpGarbage, startUdpSilent, type UdpListening } from '../../../test/support/hostile/hostile-udp.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => udpProbe.run(udpProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));

describe('udp probe config', () => {
  it('takes text or hex payloads and rejects bad hex', () => {
    const config = udpProbe.schema.parse({ host: '127.0.0.1', port: 53, send: { hex: 'de ad:BE ef' }, expect: { hex: '00ff' } });
    assert.deepEqual(config.send, { hex: 'deadBEef' });
    assert.equal(udpProbe.describe(config), '127.0.0.1:53');
    assert.equal(udpProbe.schema.safeParse({ host: 'h', port: 1, send: { hex: 'abc' } }).success, false);
    assert.equal(udpProbe.schema.safeParse({ host: 'h', port: 1, send: { hex: 'zz' } }).success, false);
    assert.equal(udpProbe.schema.safeParse({ host: 'h', port: 1 }).success, false, 'send is required: UDP needs a question');
  });
});

describe('udp probe', () => {
  let echo: UdpListening, silent: UdpListening, garbage: UdpListening;
  let closed: number;
  before(async () => {
    [echo, silent, garbage] = await Promise.all([startUdpEcho(), startUdpSilent(), startUdpGarbage()]);
    closed = await closedUdpPort();
  });
  after(async () => {
    await Promise.all([echo.close(), silent.close(), garbage.close()]);
  });

  it('passes when the echo matches text, regex or hex, with first-byte timing and the reply as body', async () => {
    for (const expect of ['PONG hello', { regex: '^pong h', flags: 'i' }, { hex: '504f4e47' }]) {
      const outcome = await run({ host: '127.0.0.1', port: echo.port, send: 'hello', expect });
      assert.equal(outcome.ok, true, `${JSON.stringify(expect)}: ${JSON.stringify(outcome.failure)}`);
      assert.equal(outcome.body, 'PONG hello');
      assert.ok(outcome.timings!.firstByte! >= 0 && outcome.timings!.firstByte! <= outcome.timings!.total);
      assert.deepEqual(outcome.details?.udp, { replyBytes: 10, reply: '"PONG hello"' });
    }
  });

  it('sends hex payloads as bytes', async () => {
    const outcome = await run({ host: '127.0.0.1', port: echo.port, send: { hex: '0001ff' }, expect: { hex: '504f4e47200001ff' } });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
  });

  it('a reply that does not match is a body failure naming what came instead', async () => {
    const outcome = await run({ host: '127.0.0.1', port: echo.port, send: 'hello', expect: 'OK' });
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /^127\.0\.0\.1:\d+ replied "PONG hello", expected a reply containing "OK"$/);
  });

  it('binary garbage is shown as hex', async () => {
    const outcome = await run({ host: '127.0.0.1', port: garbage.port, send: 'hello', expect: 'PONG' });
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /replied hex 00fffe1337, expected a reply containing "PONG"/);
  });

  it('silence is a timeout within the check timeout', async () => {
    const outcome = await expectTimeout(runWith({ host: '127.0.0.1', port: silent.port, send: 'hello' }), { timeoutMs: TIMEOUT_MS, phase: /waiting for a reply/ });
    assert.match(outcome.failure!.message, /timed out after \d+ ms waiting for a reply from 127\.0\.0\.1:\d+$/);
  });

  it('a closed port (ICMP port unreachable) is refused', async () => {
    const outcome = await run({ host: '127.0.0.1', port: closed, send: 'hello' });
    assert.equal(outcome.failure?.class, 'refused', JSON.stringify(outcome.failure));
  });

  it('an already-aborted signal returns a timeout at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await udpProbe.run(udpProbe.schema.parse({ host: 'localhost', port: echo.port, send: 'x' }), { ...testProbeContext(TIMEOUT_MS), signal: controller.signal });
    assert.equal(outcome.failure?.class, 'timeout');
  });
});
