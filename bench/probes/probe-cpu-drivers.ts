/**
 * CPU per check for the driver-backed kinds (grpc, postgres, mysql, redis, steps, browser),
 * against the http probe; probe-cpu.ts measures the socket kinds. The parent starts real local
 * targets (an HTTP API, a gRPC health server, embedded PostgreSQL, redis-server, a MySQL-protocol
 * server, Chromium via the browser probe itself) and forks one worker per kind
 * (probe-cpu-worker.ts) that runs its checks one after another and reports its own CPU
 * (process.cpuUsage; for the browser kind also Chromium's, which exits with each run).
 * Run: `node bench/probes/probe-cpu-drivers.ts [--quick]`.
 * Needs redis-server and chromium installed (Debian packages of the same names).
 * @module
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { listenTracked } from '../../test/support/hostile/listen.ts';
import { startEmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { startRedisServer } from '../../test/support/redis-server.ts';
import { startMysqlTestServer } from '../../test/support/mysql-server.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 100 : 500;

const api = await listenTracked(
  createServer((req, res) => {
    if (req.url === '/login') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t-123","id":7}');
    if (req.url?.startsWith('/orders')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"items":[{"id":7}]}');
    if (req.url === '/page') return res.writeHead(200, { 'content-type': 'text/html' }).end('<title>x</title><button id="b" onclick="document.body.append(\'done\')">go</button>');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  }),
);
const grpcServer = new grpc.Server();
new HealthImplementation({ '': 'SERVING' }).addToServer(grpcServer);
const grpcPort = await new Promise<number>((resolve, reject) => grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
const postgres = await startEmbeddedPostgres();
const redis = await startRedisServer('bench-pw');
const mysql = await startMysqlTestServer({ monitor: 'bench-pw' });
const base = `http://127.0.0.1:${api.port}`;

const jobs = [
  { kind: 'http', config: { url: `${base}/health`, json: { '$.status': 'ok' } }, n: N },
  { kind: 'grpc', config: { host: '127.0.0.1', port: grpcPort }, n: N },
  { kind: 'postgres', config: { host: '127.0.0.1', port: postgres.port, database: 'postgres', query: 'select 1', expect: 1 }, n: Math.min(N, 200) },
  { kind: 'mysql', config: { host: '127.0.0.1', port: mysql.port, user: 'monitor', password: 'bench-pw', query: 'select 1', expect: 1 }, n: N },
  { kind: 'redis', config: { host: '127.0.0.1', port: redis.port, password: 'bench-pw' }, n: N },
  {
    kind: 'steps',
    config: [
      { name: 'login', url: `${base}/login`, method: 'POST', body: { u: 'x' }, extract: { token: { json: '$.token' }, id: { json: '$.id' } } },
      { name: 'orders', url: `${base}/orders`, headers: { authorization: 'Bearer {{token}}' }, json: { '$.ok': true } },
      { name: 'order', url: `${base}/orders/{{id}}`, headers: { authorization: 'Bearer {{token}}' } },
    ],
    n: N,
  },
  { kind: 'browser', config: { url: `${base}/page`, steps: [{ click: '#b' }, { expectText: 'done' }] }, n: quick ? 3 : 10, warmup: 1 },
];

try {
  const rows: Record<string, number | string>[] = [];
  for (const job of jobs) {
    const spec = JSON.stringify({ kind: job.kind, config: job.config, n: job.n, warmup: job.warmup ?? 20, timeoutMs: job.kind === 'browser' ? 30_000 : 5000 });
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [new URL('./probe-cpu-worker.ts', import.meta.url).pathname, spec], { timeout: 600_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${job.kind}: ${stderr}`)) : resolve(stdout))),
    );
    const report = JSON.parse(output.trim().split('\n').pop()!);
    rows.push(report);
    console.error(JSON.stringify(report));
  }
  const http = rows.find((row) => row.kind === 'http')!.cpuMsPerCheck as number;
  console.log('| kind | checks | CPU ms per check (monitor) | + Chromium | × http | wall ms per check |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    const own = row.cpuMsPerCheck as number;
    const child = row.childCpuMsPerCheck as number;
    console.log(`| ${row.kind} | ${row.n} | ${own.toFixed(2)} | ${child ? child.toFixed(0) : '–'} | ${((own + child) / http).toFixed(1)}× | ${(row.wallMsPerCheck as number).toFixed(1)} |`);
  }
} finally {
  grpcServer.forceShutdown();
  await Promise.all([api.close(), postgres.stop(), redis.stop(), mysql.close()]);
}
