/**
 * The checked target, in its own process so its CPU never counts against Upstate. Two kinds:
 * `fast` (default) answers every request `200 ok` at once, the cheapest node:http allows; `mix`
 * is the realistic target of the serve benchmark: 90% `200`, 5% `500` and 5% `200` after
 * 1.5 s, drawn per request from a seeded generator so two runs see the same sequence. POSTs to
 * `/hook` are the alert webhook receiver, counted apart from checks. Reports its own CPU and
 * counts on request.
 * @module
 */
import { createServer } from 'node:http';
import { exitWithParent, reply, runWorker, workerParams } from '../lib/child.ts';
import { seededRandom } from '../../test/support/seeded-random.ts'; // the target's mix must not depend on Math.random's seed

export interface TargetParams {
  mix?: 'fast' | 'mix';
  /** Delay of the slow share, ms (default 1500). */
  slowMs?: number;
}


runWorker(async () => {
  const params = await workerParams<TargetParams>();
  const mix = params.mix === 'mix';
  const slowMs = params.slowMs ?? 1500;
  const random = seededRandom(17);
  const counts = { requests: 0, ok: 0, errors: 0, slow: 0, hooks: 0 };
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/hook') {
      counts.hooks++;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-length': '0' }).end());
      return;
    }
    counts.requests++;
    const r = mix ? random() : 0;
    if (r < 0.9) {
      counts.ok++;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    } else if (r < 0.95) {
      counts.errors++;
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': '5' });
      res.end('error');
    } else {
      counts.slow++;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
        res.end('ok');
      }, slowMs);
    }
  });
  // A large backlog absorbs bursts of new connections instead of refusing them.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.on('message', (m) => {
    if ((m as { type: string }).type === 'usage') reply({ type: 'usage', cpu: process.cpuUsage(), ...counts });
  });
  exitWithParent(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  reply({ type: 'ready', port });
});
