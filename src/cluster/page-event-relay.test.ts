/**
 * The page-event relay re-reads only the checks another instance's notice named. It used to read
 * every check state on each (100 ms coalesced) notice, so with 10,000 checks each instance pulled
 * the whole table several times a second while the others wrote.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { Store } from '../storage/store.ts';
import { createPostgresStore } from '../storage/postgres/postgres-store.ts';
import { startPageEventRelay } from './page-event-relay.ts';

const NAMES = Array.from({ length: 40 }, (_, i) => `svc-${i}`);

describe('page event relay', () => {
  let server: EmbeddedPostgres;
  let writer: Store;
  let reader: Store;
  before(async () => {
    server = await startEmbeddedPostgres();
    writer = createPostgresStore({ url: server.url, maxConnections: 2, announceOrigin: 'instance-b' });
    reader = createPostgresStore({ url: server.url, maxConnections: 2 });
    await writer.migrate();
    // every check has a state, as in a running cluster
    await writer.recordResults({
      results: NAMES.map((check) => ({ check, at: 1_000, status: 'up', latencyMs: 2 })),
      states: NAMES.map((check) => ({ check, status: 'up', since: 1_000, streak: 1, lastResult: { check, at: 1_000, status: 'up', latencyMs: 2 } })),
    });
  });
  after(async () => {
    await writer.close();
    await reader.close();
    await server.stop();
  });

  it("reads only the states another instance's notice named and publishes them on the page bus", async () => {
    const rowsRead: number[] = [];
    const counting: Pick<Store, 'readStates'> = {
      async readStates(checks) {
        const states = await reader.readStates(checks);
        rowsRead.push(states.length);
        return states;
      },
    };
    const pageBus = createResultBus();
    const events: ResultEvent[] = [];
    pageBus.subscribe((event) => void events.push(event));
    const relay = startPageEventRelay({ url: server.url, origin: 'instance-a', store: counting, pageBus, coalesceMs: 20 });
    await relay.ready;
    await writer.recordResults({
      results: [{ check: 'svc-3', at: 2_000, status: 'down', latencyMs: 2 }],
      states: [{ check: 'svc-3', status: 'down', since: 2_000, streak: 1, lastResult: { check: 'svc-3', at: 2_000, status: 'down', latencyMs: 2 } }],
    });
    const deadline = Date.now() + 20_000;
    while (!events.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await relay.close();
    assert.deepEqual(events.flatMap((e) => e.states.map((s) => `${s.check}:${s.status}`)), ['svc-3:down']);
    assert.deepEqual(rowsRead, [1], `state rows read per notice (of ${NAMES.length} checks)`);
  });
});
