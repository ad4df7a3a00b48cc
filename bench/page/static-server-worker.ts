/**
 * Child process: the baseline — node:http answering every request with bytes held in memory
 * (the same bodies and content types the app served), no routing beyond a Map lookup. Clients
 * that accept gzip get a copy compressed once at start-up (default level, as the app's middleware).
 * @module
 */
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { exitWithParent, reply, runWorker, workerParams } from '../lib/child.ts';

runWorker(async () => {
  const p = await workerParams<{ bodies: { path: string; contentType: string; body: string }[] }>();
  const bodies = new Map(
    p.bodies.map((b) => {
      const bytes = Buffer.from(b.body, 'utf8');
      return [b.path, { type: b.contentType, bytes, gzip: gzipSync(bytes) }];
    }),
  );
  const server = createServer((req, res) => {
    const hit = bodies.get(req.url ?? '/');
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const bytes = gzip ? hit.gzip : hit.bytes;
    res.writeHead(200, { 'content-type': hit.type, 'content-length': bytes.length, ...(gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}) });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  process.on('message', (m) => {
    if ((m as { type: string }).type === 'usage') reply({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage.rss() });
  });
  exitWithParent(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  reply({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
