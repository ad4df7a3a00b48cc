import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, service as healthService } from 'grpc-health-check';
import { grpcProbe } from './grpc-probe.ts';
import { loadTestCerts } from '../../../test/support/hostile/test-certs.ts';
import { startHostileServers, type HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';

const TOKEN = 'Bearer grpc-Secret-1618';
const run = (config: Record<string, unknown>, timeoutMs = 5000) => grpcProbe.run(grpcProbe.schema.parse(config), testProbeContext(timeoutMs));

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
    hostile = await startHostileServers();
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
    const silent = await run({ host: '127.0.0.1', port: hostile.ports.silent }, 800);
    assert.equal(silent.failure?.class, 'timeout', JSON.stringify(silent.failure));
    assert.ok(silent.latencyMs < 800 + 500, `reported ${silent.latencyMs} ms`);
    const garbage = await run({ host: '127.0.0.1', port: hostile.ports.garbage });
    assert.ok(['protocol', 'reset'].includes(garbage.failure!.class), JSON.stringify(garbage.failure));
  });
});
