import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { websocketProbe } from './websocket-probe.ts';
import { startWebsocketServer } from '../../../test/support/websocket-server.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { loadTestCerts } from '../../../test/support/hostile/test-certs.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';
import type { CertificateFacts } from '../tls/certificate-facts.ts';

/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const certs = loadTestCerts();
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => websocketProbe.run(websocketProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

describe('websocket probe config', () => {
  it('takes ws and wss URLs only and never displays credentials or the query', () => {
    assert.equal(websocketProbe.schema.safeParse({ url: 'http://example.test/' }).success, false);
    const config = websocketProbe.schema.parse({ url: 'wss://user:secret@example.test/feed?token=abc' });
    assert.equal(websocketProbe.describe(config), 'wss://example.test/feed');
    assert.equal(config.maxMessageBytes, 64 * 1024);
  });
});

describe('websocket probe', () => {
  let plain: Awaited<ReturnType<typeof startWebsocketServer>>;
  let secure: Awaited<ReturnType<typeof startWebsocketServer>>;
  let expired: Awaited<ReturnType<typeof startWebsocketServer>>;
  let hostile: HostileServers;
  before(async () => {
    [plain, secure, expired, hostile] = await Promise.all([startWebsocketServer(), startWebsocketServer(certs.valid), startWebsocketServer(certs.expired), startHostileProcess()]);
  });
  after(async () => {
    await Promise.all([plain.close(), secure.close(), expired.close(), hostile.close()]);
  });
  const ws = (path: string) => `ws://127.0.0.1:${plain.port}${path}`;

  it('opens, sends and matches the reply, timing each phase', async () => {
    const outcome = await run({ url: ws('/echo'), send: 'ping', expect: 'echo: ping', headers: { Authorization: 'Bearer s3cret' }, protocols: ['v1'] });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.body, 'echo: ping');
    const t = outcome.timings!;
    assert.ok(t.connect! >= 0 && t.handshake! > 0 && t.firstByte! >= 0 && t.total >= t.handshake!);
    assert.deepEqual(plain.headers.at(-1), { authorization: 'Bearer s3cret', protocol: 'v1' });
    assert.ok(!JSON.stringify(outcome).includes('s3cret'));
  });

  it('opening is enough without send or expect', async () => {
    const outcome = await run({ url: ws('/silent') });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
  });

  it('skips unrelated messages until one matches', async () => {
    const outcome = await run({ url: ws('/greet'), send: 'hi', expect: { regex: '^echo: hi$' } });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
  });

  it('wss verifies the certificate and reports it like an https check', async () => {
    const ok = await run({ url: `wss://localhost:${secure.port}/echo`, send: 'x', expect: 'echo: x', tls: { ca: certs.ca } });
    assert.equal(ok.ok, true, JSON.stringify(ok.failure));
    assert.equal((ok.details?.certificate as CertificateFacts).subject, 'CN=localhost');
    assert.ok(ok.timings!.tls! > 0);
    const bad = await run({ url: `wss://localhost:${expired.port}/echo`, tls: { ca: certs.ca } });
    assert.equal(bad.failure?.class, 'tls');
    assert.match(bad.failure!.message, /certificate expired/);
  });

  it('a refused upgrade is a status failure', async () => {
    const outcome = await run({ url: ws('/deny') });
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /answered the WebSocket upgrade with HTTP 403 instead of 101/);
  });

  it('no matching reply is a timeout naming what came', async () => {
    const outcome = await runToTimeout({ url: ws('/greet'), expect: 'never' }, /waiting for a message containing "never"/);
    assert.match(outcome.failure!.message, /waiting for a message containing "never" from ws:\/\/127\.0\.0\.1:\d+\/greet \(got 1 other message, last "welcome"\)/);
  });

  it('a message larger than maxMessageBytes fails without being kept', async () => {
    const outcome = await run({ url: ws('/big'), send: 'go', maxMessageBytes: 1024 });
    assert.equal(outcome.failure?.class, 'body', JSON.stringify(outcome.failure));
    assert.equal(outcome.body, undefined);
  });

  it('a server closing mid-conversation is a reset with its close code', async () => {
    const outcome = await run({ url: ws('/close'), send: 'bye', expect: 'x' });
    assert.equal(outcome.failure?.class, 'reset');
    assert.match(outcome.failure!.message, /closed the WebSocket \(1011 "going away"\)/);
  });

  it('silence, garbage, drips and a closed port fail with their class', async () => {
    const cases: [string, string, RegExp][] = [
      [`ws://127.0.0.1:${hostile.ports.silent}/`, 'timeout', /in the WebSocket handshake/],
      [`ws://127.0.0.1:${hostile.ports.slowloris}/`, 'timeout', /in the WebSocket handshake/],
      [`ws://127.0.0.1:${hostile.ports.garbage}/`, 'protocol', /unexpected reply/],
      [`ws://127.0.0.1:${hostile.ports.closed}/`, 'refused', /refused/],
      [`${hostile.http.replace('http', 'ws')}/ok`, 'status', /HTTP 200 instead of 101/],
    ];
    await Promise.all(
      cases.map(async ([url, cls, message]) => {
        const outcome = cls === 'timeout' ? await runToTimeout({ url }, message) : await run({ url });
        assert.equal(outcome.failure?.class, cls, `${url}: ${JSON.stringify(outcome.failure)}`);
        assert.match(outcome.failure!.message, message);
      }),
    );
  });
});
