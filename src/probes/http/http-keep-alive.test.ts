import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { httpProbe } from './http-probe.ts';
import { createKeepAlivePool, type KeepAlivePool } from '../keep-alive-pool.ts';
import { testProbeContext } from '../../../test/support/hostile/probe-context.ts';

/** A local server that counts the TCP connections it accepts and the requests per connection. */
async function countingServer(handler: (socket: Socket, nth: number, res: import('node:http').ServerResponse) => void) {
  let connections = 0;
  const perSocket = new WeakMap<Socket, number>();
  const server: Server = createServer((req, res) => {
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    handler(req.socket, nth, res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ok = (_s: Socket, _n: number, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-length': '2' }).end('ok');

describe('http probe keep-alive (a pool in the context)', () => {
  let pool: KeepAlivePool;
  const run = (url: string, extra: Record<string, unknown> = {}) =>
    httpProbe.run(httpProbe.schema.parse({ url, ...extra }), { ...testProbeContext(15_000), keepAlive: pool });
  let a: Awaited<ReturnType<typeof countingServer>>;
  let b: Awaited<ReturnType<typeof countingServer>>;
  before(async () => {
    a = await countingServer(ok);
    b = await countingServer(ok);
  });
  after(async () => {
    pool?.close();
    await a.close();
    await b.close();
  });

  it('reuses one connection across 20 checks of the same origin, timing only the first handshake', async () => {
    pool = createKeepAlivePool();
    const before = a.connections();
    const outcomes = [];
    for (let i = 0; i < 20; i++) outcomes.push(await run(`${a.url}/c/${i}`));
    assert.equal(a.connections() - before, 1);
    assert.ok(outcomes.every((o) => o.ok && o.statusCode === 200));
    assert.ok(outcomes[0].timings!.connect! >= 0);
    assert.equal(outcomes[0].details?.connectionReused, undefined);
    for (const o of outcomes.slice(1)) {
      assert.equal(o.details?.connectionReused, true);
      assert.equal(o.timings!.connect, undefined, 'no handshake on a reused connection');
      assert.ok(o.timings!.firstByte! >= 0 && o.timings!.total >= o.timings!.firstByte!);
    }
    pool.close();
  });

  it('never shares a connection between origins', async () => {
    pool = createKeepAlivePool();
    const [ca, cb] = [a.connections(), b.connections()];
    for (let i = 0; i < 3; i++) {
      assert.equal((await run(`${a.url}/x`)).ok, true);
      assert.equal((await run(`${b.url}/x`)).ok, true);
    }
    assert.deepEqual([a.connections() - ca, b.connections() - cb], [1, 1]);
    pool.close();
  });

  it('does not pool a connection whose body was cut off at the cap', async () => {
    pool = createKeepAlivePool();
    const before = a.connections();
    for (let i = 0; i < 3; i++) assert.equal((await run(`${a.url}/x`, { maxBodyBytes: 1 })).details?.bodyTruncated, true);
    assert.equal(a.connections() - before, 3);
    pool.close();
  });

  it('reuseConnection: false opens and times a connection per check even with a pool', async () => {
    pool = createKeepAlivePool();
    const before = a.connections();
    for (let i = 0; i < 3; i++) {
      const outcome = await run(`${a.url}/x`, { reuseConnection: false });
      assert.ok(outcome.ok && outcome.timings!.connect! >= 0);
      assert.equal(outcome.details?.connectionReused, undefined);
    }
    assert.equal(a.connections() - before, 3);
    assert.equal(pool.size(), 0);
    pool.close();
  });

  it('without a pool, opens a connection per check as before', async () => {
    const before = a.connections();
    for (let i = 0; i < 3; i++) {
      const outcome = await httpProbe.run(httpProbe.schema.parse({ url: `${a.url}/x` }), testProbeContext(15_000));
      assert.ok(outcome.ok && outcome.timings!.connect! >= 0);
    }
    assert.equal(a.connections() - before, 3);
  });
});

describe('http probe keep-alive: a pooled connection the server dropped', () => {
  it('is retried once on a fresh connection, so the check does not fail', async () => {
    // answers the first request of a connection, then drops it on the second, as a server whose
    // idle timeout fired just as the request arrived
    const server = await countingServer((socket, nth, res) => (nth === 1 ? ok(socket, nth, res) : socket.destroy()));
    const pool = createKeepAlivePool();
    try {
      const run = () => httpProbe.run(httpProbe.schema.parse({ url: `${server.url}/x` }), { ...testProbeContext(15_000), keepAlive: pool });
      const outcomes = [await run(), await run(), await run()];
      assert.deepEqual(outcomes.map((o) => [o.ok, o.statusCode]), [[true, 200], [true, 200], [true, 200]]);
      // each later run: the reused connection dropped, then a fresh one (measured, not marked reused)
      assert.equal(server.connections(), 3);
      for (const o of outcomes.slice(1)) {
        assert.ok(o.timings!.connect! >= 0);
        assert.equal(o.details?.connectionReused, undefined);
      }
    } finally {
      pool.close();
      await server.close();
    }
  });
});
