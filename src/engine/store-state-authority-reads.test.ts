/**
 * A commit confirms its results against the stored states of the committed checks only. It used
 * to read every check's state on each commit: a cluster instance's database reads grew with the
 * checks configured (10,000 rows per round at 10,000 checks) instead of the checks it ran.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../domain/check.ts';
import type { Store } from '../storage/store.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { usePostgresStore } from '../../test/support/postgres-store-fixture.ts';
import { createStoreStateAuthority } from './store-state-authority.ts';
import { subscribeStoreWriter } from './store-writer.ts';

const checkNamed = (name: string) =>
  ({ name, regions: ['local'], quorum: 1, intervalMs: 60_000, timeoutMs: 5_000, confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 } }) as unknown as Check;
const CHECKS = Array.from({ length: 40 }, (_, i) => checkNamed(`svc-${i}`));

describe('store state authority: state reads per commit', () => {
  let store: Store;
  usePostgresStore((opened) => {
    store = opened;
  });

  it('reads the states of the committed checks, not of every check', async () => {
    const bus = createResultBus((error) => {
      throw error;
    });
    subscribeStoreWriter(bus, store);
    const rowsRead: number[] = [];
    const counting: Pick<Store, 'readStates' | 'readRecentResults'> = {
      readRecentResults: (check, options) => store.readRecentResults(check, options),
      async readStates(checks) {
        const states = await store.readStates(checks);
        rowsRead.push(states.length);
        return states;
      },
    };
    const authority = createStoreStateAuthority({ bus, store: counting, now: () => Date.now() });
    await authority.start();
    const at = Date.now() - 10_000;
    // every check gets a state first, as in a running cluster
    await authority.commit(CHECKS, CHECKS.map((c) => ({ check: c.name, at, status: 'up' as const, latencyMs: 1 })));
    rowsRead.length = 0;
    await authority.commit([CHECKS[5], CHECKS[9]], [
      { check: 'svc-5', at: at + 1, status: 'down', latencyMs: 1 },
      { check: 'svc-9', at: at + 1, status: 'up', latencyMs: 1 },
    ]);
    await authority.flush();
    assert.deepEqual(rowsRead, [2], `state rows read by one commit of 2 checks (of ${CHECKS.length})`);
    const states = new Map((await store.readStates()).map((s) => [s.check, s]));
    assert.equal(states.get('svc-5')?.status, 'down', 'the commit still confirms on the stored state and writes it');
    assert.equal(states.get('svc-9')?.since, at, 'still up since the stored state said so');
    await authority.stop();
  });

  it('commits arriving while one is written go out together: one state read for all of them', async () => {
    // a cluster instance commits each run as it ends; one read and one write per run would make
    // the database the bound at a few hundred results a second
    const bus = createResultBus((error) => {
      throw error;
    });
    subscribeStoreWriter(bus, store);
    const reads: number[] = [];
    let opened!: () => void;
    const gate = new Promise<void>((resolve) => (opened = resolve));
    const gated: Pick<Store, 'readStates' | 'readRecentResults'> = {
      readRecentResults: (check, options) => store.readRecentResults(check, options),
      async readStates(checks) {
        if (!reads.length) await gate; // the first commit is slow to read
        reads.push(checks?.length ?? -1);
        return store.readStates(checks);
      },
    };
    const authority = createStoreStateAuthority({ bus, store: gated, now: () => Date.now() });
    await authority.start();
    const at = Date.now() - 5_000;
    const result = (c: Check) => ({ check: c.name, at, status: 'down' as const, latencyMs: 1 });
    const first = authority.commit([CHECKS[0]], [result(CHECKS[0])]);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = CHECKS.slice(1, 11).map((c) => authority.commit([c], [result(c)]));
    opened();
    await Promise.all([first, ...rest]);
    assert.deepEqual(reads, [1, 10], 'the first commit, then the ten that waited behind it as one');
    const states = new Map((await store.readStates(CHECKS.slice(0, 11).map((c) => c.name))).map((s) => [s.check, s]));
    for (const c of CHECKS.slice(0, 11)) assert.equal(states.get(c.name)?.lastResult?.at, at, `${c.name} written`);
    await authority.stop();
  });
});
