/**
 * Reading named alert records only. An evaluator whose compare-and-set lost (another cluster
 * instance ran the check's previous slot and wrote its alert record) re-reads that one record;
 * it used to read the whole alerts table — one row per check and rule — for every such result.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { usePostgresStore } from '../../../test/support/postgres-store-fixture.ts';
import type { AlertRecord } from '../../domain/alert.ts';
import type { Store } from '../store.ts';

const record = (check: string): AlertRecord => ({ key: `down:${check}`, rule: 'down', check, state: 'OK', since: 1_000, evaluations: [false], version: 1 });

describe('postgres alerts: readAlerts of named keys', () => {
  let store: Store;
  usePostgresStore(async (opened) => {
    store = opened;
    for (let i = 0; i < 30; i++) assert.ok(await store.applyAlertTransition({ record: record(`svc-${i}`), fromVersion: 0, notifications: [] }));
  });

  it('returns exactly the named records that exist', async () => {
    const records = await store.readAlerts(['down:svc-4', 'down:svc-17', 'down:never']);
    assert.deepEqual(records.map((r) => r.key).sort(), ['down:svc-17', 'down:svc-4']);
  });

  it('returns every record without keys, and none for an empty list', async () => {
    assert.equal((await store.readAlerts()).length, 30);
    assert.deepEqual(await store.readAlerts([]), []);
  });
});
