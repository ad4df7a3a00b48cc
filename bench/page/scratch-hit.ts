import { createApp } from '../../src/http/create-app.ts';
import { openTestStore, testCheck, testConfig, seed, result } from '../../test/support/http-fixture.ts';
import { Hono } from 'hono';

const { store, cleanup } = await openTestStore();
const checks = Array.from({ length: 100 }, (_, i) => testCheck(`Svc ${i}`, { group: `G${i % 5}` }));
await seed(store, checks.map((c) => result(c.name, Date.now() - 60_000, 'up', 50)));
const app = createApp({ config: testConfig(checks, { page: { title: 'Acme', publicUrl: 'https://status.example' } }), store });
const bare = new Hono();
const body = new Uint8Array(37_000);
bare.get('/x', (c) => c.body(body, 200, { 'Content-Type': 'application/json' }));
async function time(label: string, target: { fetch: (r: Request) => Response | Promise<Response> }, path: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < 2000; i++) await (await target.fetch(new Request(`http://h${path}`, { headers }))).arrayBuffer();
  const n = 20000;
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await (await target.fetch(new Request(`http://h${path}`, { headers }))).arrayBuffer();
  const c1 = process.cpuUsage(c0);
  console.log(label, ((c1.user + c1.system) / n).toFixed(1), 'µs/req');
}
await time('bare hono 37KB', bare, '/x');
await time('v2 summary', app, '/api/v2/summary.json');
await time('v1 status', app, '/api/v1/status');
await time('/', app, '/');
await time('/ gzip', app, '/', { 'accept-encoding': 'gzip' });
await cleanup();
