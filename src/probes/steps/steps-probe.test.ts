import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { stepsProbe } from './steps-probe.ts';
import { listenTracked, type Listening } from '../../../test/support/hostile/listen.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

const TOKEN = 'tok-Secret-31415';
// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: unknown[]) => (ctx: ProbeContext) => stepsProbe.run(stepsProbe.schema.parse(config), ctx);
const run = (config: unknown[]) => expectAnswer(runWith(config));
const runToTimeout = (config: unknown[], phase?: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

/** A small API: POST /login → token; GET /orders needs it; /orders/<id> echoes; /slow never answers. */
function api(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/login' && req.method === 'POST') {
      const { user, password } = JSON.parse(body || '{}');
      if (user === 'monitor' && password === 'pw') return json(200, { token: TOKEN, user: { id: 42 } }, { 'x-session': 'sid=abc123; Path=/' });
      return json(401, { error: 'bad credentials' });
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: 'no token' });
    if (url.pathname === '/orders') return json(200, { ok: true, items: [{ id: 7 }, { id: 8 }] });
    const order = /^\/orders\/(\d+)$/.exec(url.pathname);
    if (order) return json(200, { id: Number(order[1]), session: req.headers['x-sid'] ?? null });
    if (url.pathname === '/broken') return json(500, { error: 'boom' });
    if (url.pathname === '/slow') return; // never answers
    json(404, {});
  });
}

describe('steps probe config', () => {
  it('checks placeholders against earlier extractions, naming the step', () => {
    const parsed = stepsProbe.schema.safeParse([
      { name: 'login', url: 'http://x.test/login', extract: { token: { json: '$.token' } } },
      { url: 'http://x.test/orders/{{order}}', headers: { authorization: 'Bearer {{token}}' } },
    ]);
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`), ['1: uses {{order}}, which no earlier step extracts']);
    assert.equal(stepsProbe.schema.safeParse([{ url: 'http://x.test/', extract: { t: { json: 'token' } } }]).success, false);
    assert.equal(stepsProbe.schema.safeParse([]).success, false);
    const config = stepsProbe.schema.parse([{ url: 'http://u:p@x.test/a' }, { url: 'http://x.test/b' }]);
    assert.equal(stepsProbe.describe(config), 'http://x.test/a (+1 more step)');
  });
});

describe('steps probe against a local API', () => {
  let server: Listening;
  let base: string;
  const flow = (overrides: { password?: string; second?: string; extractPath?: string } = {}) => [
    {
      name: 'login',
      url: `${base}/login`,
      method: 'POST',
      body: { user: 'monitor', password: overrides.password ?? 'pw' },
      expectStatus: 200,
      extract: { token: { json: overrides.extractPath ?? '$.token' }, sid: { header: 'x-session', regex: 'sid=([^;]+)' } },
    },
    { name: 'orders', url: `${base}${overrides.second ?? '/orders'}`, headers: { authorization: 'Bearer {{token}}' }, json: { '$.ok': true }, extract: { first: { json: '$.items[0].id' } } },
    { name: 'order', url: `${base}/orders/{{first}}`, headers: { authorization: 'Bearer {{token}}', 'x-sid': '{{sid}}' }, json: { '$.id': 7, '$.session': 'abc123' } },
  ];
  before(async () => {
    server = await listenTracked(createServer(api));
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => server?.close());

  it('is up when every step passes, passing variables along, with timings per step', async () => {
    const outcome = await run(flow());
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    const steps = outcome.details!.steps as { name: string; ok: boolean; statusCode: number; timings: { total: number; connect: number } }[];
    assert.deepEqual(steps.map((s) => [s.name, s.ok, s.statusCode]), [['login', true, 200], ['orders', true, 200], ['order', true, 200]]);
    for (const step of steps) assert.ok(step.timings.total >= 0 && step.timings.connect >= 0);
    assert.ok(outcome.timings!.total >= steps.reduce((sum, s) => sum + s.timings.total, 0) - 1);
    assert.equal(outcome.statusCode, 200);
    assert.match(outcome.body!, /"id":7/);
    assert.equal(outcome.details!.completedSteps, 3);
  });

  it('names the failing step: a refused login', async () => {
    const outcome = await run(flow({ password: 'wrong' }));
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /^step 1 "login": status 401, expected 200/);
    assert.equal((outcome.details!.steps as unknown[]).length, 1);
  });

  it('names the failing step: a 500 in the middle, never showing the token', async () => {
    const outcome = await run(flow({ second: '/broken' }));
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /^step 2 "orders": status 500/);
    assert.doesNotMatch(JSON.stringify(outcome), /Secret-31415/);
  });

  it('fails (body) when a value cannot be extracted', async () => {
    const outcome = await run(flow({ extractPath: '$.access_token' }));
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /^step 1 "login": could not extract token: \$\.access_token is missing/);
  });

  it('shares one timeout across the steps and names the step that ran out of time', async () => {
    const outcome = await runToTimeout(flow({ second: '/slow' }), /^step 2 "orders": /);
    assert.match(outcome.failure!.message, /^step 2 "orders": timed out after \d+ ms waiting for the response headers/);
  });

  it('is down (refused) when the API is not there', async () => {
    const closed = await listenTracked(createServer());
    await closed.close();
    const outcome = await run([{ name: 'ping', url: `http://127.0.0.1:${closed.port}/` }]);
    assert.equal(outcome.failure?.class, 'refused');
    assert.match(outcome.failure!.message, /^step 1 "ping": connection to/);
  });
});
