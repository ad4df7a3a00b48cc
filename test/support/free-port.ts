/**
 * Test support: a TCP port on 127.0.0.1 that was free a moment ago, for servers the tests start
 * as processes of their own (PostgreSQL, Redis, a container's command), which cannot take port 0.
 * @module
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
