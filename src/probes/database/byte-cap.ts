/**
 * A memory bound for driver-owned sockets. Drivers buffer a whole reply before handing it over,
 * so a hostile or mistaken server (a `SELECT` of a huge table, a forged length prefix) could
 * make the monitor hold megabytes. Counting bytes as they arrive and destroying the socket past
 * a cap keeps each check's memory bounded whatever the server sends.
 * @module
 */
import type { Socket } from 'node:net';

/** Default cap on bytes a database check reads from its server. */
export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

/**
 * Counts bytes read on `socket`; past `maxBytes` calls `onExceeded` once and destroys the socket
 * (the driver then fails its pending call, which the probe reports via `exceeded()`).
 */
export function capBytes(socket: Socket, maxBytes: number, onExceeded: (bytes: number) => void): { bytes(): number; exceeded(): boolean } {
  let bytes = 0;
  let exceeded = false;
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes && !exceeded) {
      exceeded = true;
      onExceeded(bytes);
      socket.destroy();
    }
  });
  return { bytes: () => bytes, exceeded: () => exceeded };
}
