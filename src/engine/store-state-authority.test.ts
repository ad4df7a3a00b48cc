import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { Store } from '../storage/store.ts';
import { createPgPool } from '../storage/postgres/pg-pool.ts';
import { createPostgresStore } from '../storage/postgres/postgres-store.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { createStoreStateAuthority } from './store-state-authority.ts';
import { subscribeStoreWriter } from './store-writer.ts';

const REGIONS = ['r1', 'r2', 'r3', 'r4'];
const INTERVAL = 60_000;
const check = {
  name: 'api',
  regions: REGIONS,
  quorum: 2,
  intervalMs: INTERVAL,
  timeoutMs: 5_000,
  confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
} as unknown as Check;

let server: EmbeddedPostgres;
const stores: Store[] = [];
before(async () => {
  server = await startEmbeddedPostgres();
  const admin = createPgPool(server.url, { max: 1 });
  await admin.query('CREATE DATABASE regions');
  await admin.end();
});
after(async () => {
  for (const store of stores) await store.close();
  await server?.stop();
});

function openInstance(url: string) {
  const store = createPostgresStore({ url, maxConnections: 2 });
  stores.push(store);
  const bus = createResultBus((error) => {
    throw error;
  });
  subscribeStoreWriter(bus, store);
  const authority = createStoreStateAuthority({ bus, store, now: () => Date.now() });
  return { store, authority };
}

describe('store state authority on PostgreSQL', () => {
  it('keeps every region’s report when instances ingest the same check’s regions at once', async () => {
    const url = new URL(server.url);
    url.pathname = '/regions';
    const instances = REGIONS.map(() => openInstance(url.href));
    await instances[0].store.migrate();
    for (const instance of instances) await instance.authority.start();

    // all agents probe at the same phase, and each region's batch reaches another instance
    const rounds = 40;
    const base = Date.now() - rounds * 1000;
    let lost = 0;
    for (let round = 1; round <= rounds; round++) {
      const at = base + round * 1000;
      await Promise.all(
        REGIONS.map((region, i) => {
          const result: CheckResult = { check: check.name, at, status: 'up', latencyMs: 10, region };
          return instances[i].authority.commit([check], [result]);
        }),
      );
      const state = (await instances[0].store.readStates()).find((s) => s.check === check.name);
      for (const region of REGIONS) if (state?.regions?.[region]?.at !== at) lost++;
    }
    console.log(`lost region updates: ${lost} of ${rounds * REGIONS.length}`);
    assert.equal(lost, 0, `${lost} of ${rounds * REGIONS.length} region updates were lost`);

    // two regions go down at once, each through another instance: alone, each sees one region
    // down (quorum 2) and would say up; the stored and published state must say down
    const at = base + (rounds + 1) * 1000;
    await Promise.all(
      ['r1', 'r2'].map((region, i) => {
        const result: CheckResult = { check: check.name, at, status: 'down', latencyMs: 10, region, failure: { class: 'refused', message: 'refused' } };
        return instances[i].authority.commit([check], [result]);
      }),
    );
    const state = (await instances[0].store.readStates()).find((s) => s.check === check.name);
    assert.equal(state?.status, 'down', 'status derived from both regions');
    assert.ok(
      [instances[0], instances[1]].some((instance) => instance.authority.stateOf(check.name)?.status === 'down'),
      'the instance that wrote last published the stored state',
    );
    for (const instance of instances) await instance.authority.stop();
  });
});
