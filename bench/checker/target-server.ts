/**
 * The checked target: the cheapest HTTP server node:http allows (fixed 2-byte body, no routing),
 * in its own process so its CPU never counts against Upstate. Reports its own CPU on request,
 * so the report can show how much of the 2 cores the target took.
 * @module
 */
import { createServer } from 'node:http';
import { exitWithParent, reply, runWorker } from '../lib/child.ts';

runWorker(async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
  // Connections close after each response (clients send `connection: close`); a large backlog
  // absorbs bursts of new connections instead of refusing them.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.on('message', (m) => {
    if ((m as { type: string }).type === 'usage') reply({ type: 'usage', cpu: process.cpuUsage(), requests });
  });
  exitWithParent(() => new Promise<void>((resolve) => server.close(() => resolve())));
  reply({ type: 'ready', port });
});
