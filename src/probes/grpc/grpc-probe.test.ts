import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, service as healthService } from 'grpc-health-check';
import { grpcProbe } from './grpc-probe.ts';
import { loadTestCerts } from '../../../test/support/hostile/test-certs.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

const TOKEN = 'Bearer grpc-Secret-1618';
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => grpcProbe.run(grpcProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase?: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

function bind(server: grpc.Server, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (err, port) => (err ? reject(err) : resolve(port))));
}

describe('grpc probe config', () => {
  it('validates and describes', () => {
    const config = grpcProbe.schema.parse({ host: 'api', port: 50051, service: 'orders', tls: true, metadata: { authorization: TOKEN } });
    assert.equal(grpcProbe.describe(config), 'grpcs://api:50051/orders');
    assert.equal(grpcProbe.schema.safeParse({ host: 'api' }).success, false, 'port is required');
    assert.equal(grpcProbe.schema.safeParse({ host: 'api', port: 1, metadata: { Authorization: 'x' } }).success, false);
  });
});

describe('grpc probe against a real gRPC server', () => {
  let plain: grpc.Server;
  let secure: grpc.Server;
  let guarded: grpc.Server;
  let ports: { plain: number; secure: number; guarded: number };
  let hostile: HostileServers;
  before(async () => {
    hostile = await startHostileProcess();
    const health = new HealthImplementation({ '': 'SERVING', orders: 'SERVING', billing: 'NOT_SERVING' });
    plain = new grpc.Server();
    health.addToServer(plain);
    secure = new grpc.Server();
    health.addToServer(secure);
    // A health service that wants a token, to see UNAUTHENTICATED become `auth`.
    guarded = new grpc.Server();
    guarded.addService(healthService, {
      check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        if (call.metadata.get('authorization')[0] !== TOKEN) return callback({ code: grpc.status.UNAUTHENTICATED, details: 'missing or wrong token' });
        callback(null, { status: 'SERVING' });
      },
      watch: () => {},
    });
    const certs = loadTestCerts();
    ports = {
      plain: await bind(plain, grpc.ServerCredentials.createInsecure()),
      secure: await bind(secure, grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(certs.valid.cert), private_key: Buffer.from(certs.valid.key) }])),
      guarded: await bind(guarded, grpc.ServerCredentials.createInsecure()),
    };
  });
  after(async () => {
    for (const server of [plain, secure, guarded]) server?.forceShutdown();
    await hostile?.close();
  });

  it('is up when the server and a named service are SERVING, with connect timing', async () => {
    const outcome = await run({ host: '127.0.0.1', port: ports.plain });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.deepEqual(outcome.details!.grpc, { status: 'SERVING', service: '' });
    assert.ok(outcome.timings!.connect! >= 0 && outcome.timings!.firstByte! >= 0);
    assert.equal((await run({ host: '127.0.0.1', port: ports.plain, service: 'orders' })).ok, true);
  });

  it('is down (status) for NOT_SERVING and for an unknown service', async () => {
    const notServing = await run({ host: '127.0.0.1', port: ports.plain, service: 'billing' });
    assert.equal(notServing.failure?.class, 'status');
    assert.match(notServing.failure!.message, /service "billing" on 127\.0\.0\.1:\d+ is NOT_SERVING/);
    const unknown = await run({ host: '127.0.0.1', port: ports.plain, service: 'nope' });
    assert.equal(unknown.failure?.class, 'status');
    assert.match(unknown.failure!.message, /NOT_FOUND/);
  });

  it('speaks TLS with a trusted CA, and fails (tls) without it', async () => {
    const ca = loadTestCerts().ca;
    const ok = await run({ host: '127.0.0.1', port: ports.secure, tls: { ca, servername: 'localhost' } });
    assert.equal(ok.ok, true, JSON.stringify(ok.failure));
    const untrusted = await run({ host: '127.0.0.1', port: ports.secure, tls: { servername: 'localhost' } });
    assert.equal(untrusted.failure?.class, 'tls', JSON.stringify(untrusted.failure));
    const unverified = await run({ host: '127.0.0.1', port: ports.secure, tls: { verify: false } });
    assert.equal(unverified.ok, true, JSON.stringify(unverified.failure));
  });

  it('is down (auth) when the server refuses the metadata, never showing it', async () => {
    const wrong = await run({ host: '127.0.0.1', port: ports.guarded, metadata: { authorization: 'Bearer wrong-token' } });
    assert.equal(wrong.failure?.class, 'auth');
    assert.doesNotMatch(JSON.stringify(wrong), /wrong-token/);
    assert.equal((await run({ host: '127.0.0.1', port: ports.guarded, metadata: { authorization: TOKEN } })).ok, true);
  });

  it('is down with the right class for closed, silent and garbage ports', async () => {
    assert.equal((await run({ host: '127.0.0.1', port: hostile.ports.closed })).failure?.class, 'refused');
    await runToTimeout({ host: '127.0.0.1', port: hostile.ports.silent }, /waiting for the health check/);
    const garbage = await run({ host: '127.0.0.1', port: hostile.ports.garbage });
    assert.ok(['protocol', 'reset'].includes(garbage.failure!.class), JSON.stringify(garbage.failure));
  });
});
