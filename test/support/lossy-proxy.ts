/**
 * An HTTP proxy on 127.0.0.1 in front of a local AWS-style JSON endpoint (dynalite) that can lose
 * replies: the request reaches the service and is applied, then the client's connection is cut
 * before the answer arrives — what a dropped packet or a Lambda network blip does. The SDK treats
 * the cut as transient and retries the same request, which is the case idempotent writes must
 * survive. Not used in production.
 * @module
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  endpoint: string;
  /** Loses the replies of the next `count` requests whose `X-Amz-Target` ends with `operation`. */
  loseReplies(operation: string, count: number): void;
  /** Replies lost so far. */
  lost(): number;
  close(): Promise<void>;
}

/** Starts the proxy in front of `upstream` (`http://127.0.0.1:<port>`). */
export async function startLossyProxy(upstream: string): Promise<LossyProxy> {
  const target = new URL(upstream);
  const toLose = new Map<string, number>();
  let lostCount = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstreamRes) => {
          const body: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => body.push(chunk));
          upstreamRes.on('end', () => {
            const left = toLose.get(operation) ?? 0;
            if (left > 0) {
              // the service has applied the request; the client never hears of it
              toLose.set(operation, left - 1);
              lostCount++;
              req.socket.destroy();
              return;
            }
            res.writeHead(upstreamRes.statusCode ?? 500, upstreamRes.headers).end(Buffer.concat(body));
          });
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    loseReplies(operation, count) {
      toLose.set(operation, (toLose.get(operation) ?? 0) + count);
    },
    lost: () => lostCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
