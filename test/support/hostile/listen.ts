/**
 * Starts a server on 127.0.0.1 with an ephemeral port and returns a `close()` that really frees
 * everything: it stops listening and destroys every open connection (fixtures hold connections
 * open on purpose, so a plain `server.close()` would wait forever).
 * @module
 */
import type { Server as NetServer, Socket } from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0, tracking connections so `close()` can destroy them. */
export async function listenTracked(server: NetServer): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // clients of hostile servers misbehave too
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** A port that was just free and has nothing listening on it (bound, then released). */
export async function closedPort(createServer: () => NetServer): Promise<number> {
  const listening = await listenTracked(createServer());
  await listening.close();
  return listening.port;
}
