import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import { createPgPool, type PgPoolLike } from './pg-pool.ts';
import { createPostgresStore } from './postgres-store.ts';
import { listenForResults, notifyResults, splitNotice, type ResultsNotice } from './result-notifications.ts';

/** Collects notices and lets a test wait (bounded) until a predicate holds. */
function collector() {
  const notices: ResultsNotice[] = [];
  return {
    notices,
    onEvent: (notice: ResultsNotice) => void notices.push(notice),
    async until(predicate: (all: ResultsNotice[]) => boolean, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(notices)) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(notices).slice(0, 300)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

describe('results LISTEN/NOTIFY', () => {
  let server: EmbeddedPostgres;
  let pool: PgPoolLike;
  before(async () => {
    server = await startEmbeddedPostgres();
    pool = createPgPool(server.url, { max: 2 });
  });
  after(async () => {
    await pool.end();
    await server.stop();
  });

  it('delivers a notice to every listening client', async () => {
    const a = collector();
    const b = collector();
    const listenA = listenForResults(server.url, a.onEvent);
    const listenB = listenForResults(server.url, b.onEvent);
    await Promise.all([listenA.ready, listenB.ready]);
    await notifyResults(pool, { checks: ['api', 'web'], at: 1, origin: 'i-1' });
    await a.until((n) => n.length === 1);
    await b.until((n) => n.length === 1);
    assert.deepEqual(a.notices[0], { checks: ['api', 'web'], at: 1, origin: 'i-1' });
    assert.deepEqual(b.notices[0], a.notices[0]);
    await listenA.close();
    await notifyResults(pool, { checks: ['db'], at: 2 });
    await b.until((n) => n.length === 2);
    assert.equal(a.notices.length, 1, 'a closed listener hears nothing more');
    await listenB.close();
  });

  it('splits long check lists below the 8000-byte NOTIFY limit and the server accepts every part', async () => {
    const checks = Array.from({ length: 1500 }, (_, i) => `service-number-${i}`);
    const payloads = splitNotice({ checks, at: 3 });
    assert.ok(payloads.length > 1);
    for (const payload of payloads) assert.ok(Buffer.byteLength(payload) < 8000);
    const c = collector();
    const listener = listenForResults(server.url, c.onEvent);
    await listener.ready;
    await notifyResults(pool, { checks, at: 3 });
    await c.until((n) => n.flatMap((x) => x.checks).length === checks.length);
    assert.deepEqual(c.notices.flatMap((x) => x.checks), checks);
    await listener.close();
  });

  it('announces recorded results only when their transaction commits', async () => {
    const store = createPostgresStore({ url: server.url, maxConnections: 2, announceOrigin: 'instance-a' });
    await store.migrate();
    const c = collector();
    const listener = listenForResults(server.url, c.onEvent);
    await listener.ready;
    await store.recordResults({ results: [{ check: 'api', at: 10, status: 'up', latencyMs: 5 }], states: [] });
    await c.until((n) => n.length === 1);
    assert.deepEqual(c.notices[0].checks, ['api']);
    assert.equal(c.notices[0].origin, 'instance-a');
    // a batch that fails (status outside the column type) rolls back and announces nothing
    await assert.rejects(store.recordResults({ results: [{ check: 'api', at: 11, status: 'up', latencyMs: 5, statusCode: 99_999 }], states: [] }));
    await notifyResults(pool, { checks: ['marker'], at: 12 });
    await c.until((n) => n.length === 2);
    assert.deepEqual(c.notices[1].checks, ['marker']);
    await listener.close();
    await store.close();
  });

  it('reconnects after losing its connection and asks for a full re-read', async () => {
    const c = collector();
    const listener = listenForResults(server.url, c.onEvent, { maxBackoffMs: 200 });
    await listener.ready;
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`);
    await c.until((n) => n.some((x) => x.all === true));
    await notifyResults(pool, { checks: ['after'], at: 13 });
    await c.until((n) => n.some((x) => x.checks.includes('after')));
    await listener.close();
  });
});
