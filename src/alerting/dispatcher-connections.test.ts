import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAlertingHarness, testCheck } from '../../test/support/receivers/alerting-harness.ts';

/** A webhook receiver that counts the connections it was sent on and which are still open. */
async function connectionCountingReceiver(): Promise<{ url: string; server: Server; hooks: () => number; opened: () => number; open: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let opened = 0;
  let hooks = 0;
  const server = createServer((req, res) => {
    hooks++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-length': '0' }).end());
  });
  server.on('connection', (socket: Socket) => {
    opened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    server,
    hooks: () => hooks,
    opened: () => opened,
    open: () => sockets.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (done: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(done(), what);
};

describe('dispatcher HTTP connections', () => {
  it('deliveries post over the dispatcher’s own kept-alive connection, which stop() closes', async () => {
    const receiver = await connectionCountingReceiver();
    const h = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: receiver.url } }, checks: [testCheck('api'), testCheck('web')] });
    try {
      await h.alerting.start();
      // one message at a time, so none needs a second connection
      for (const [check, status] of [['api', 'down'], ['api', 'up'], ['web', 'down'], ['web', 'up']] as const) {
        await h.publish([{ check, status }]);
        await h.alerting.deliverNow();
      }
      assert.equal(receiver.hooks(), 4);
      assert.equal(receiver.opened(), 1, 'one kept-alive connection carried every delivery');
      assert.equal(receiver.open(), 1);
      await h.close();
      // the pool is the dispatcher's, not the process's global one: stopping delivery closes it
      await until(() => receiver.open() === 0, `no delivery connection is left open after stop (open: ${receiver.open()})`);
    } finally {
      await h.close();
      await receiver.close();
    }
  });
});
