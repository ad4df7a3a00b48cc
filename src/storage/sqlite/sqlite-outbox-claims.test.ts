/**
 * The outbox claim on SQLite at many pending messages. A message is claimable only when no earlier
 * message of the same alert to the same channel is pending; that test used to compare
 * `json_extract(event, '$.key')` of every pending row with every other (a correlated subquery
 * over the `state = 'pending'` index), so one claim at 10,000 pending messages compared about
 * 10,000² pairs. Migration 7 stores the alert key and sequence in columns with a partial index, and
 * the subquery looks up the messages of one alert and channel only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Notification } from '../../domain/alert.ts';
import { openDatabase, type SqliteHandle } from './database.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { createSqliteAlerts } from './sqlite-alerts.ts';
import { pendingNotification } from '../../../test/support/store-suites/suite-kit.ts';

const T0 = Date.UTC(2026, 0, 10);

function message(id: string, key: string, sequence: number | undefined, createdAt: number, channel = 'ops'): Notification {
  const [rule, check] = key.split(':');
  return pendingNotification(id, channel, createdAt, { key, rule, check, kind: 'firing', state: 'ALARM', sequence });
}

/** A handle that keeps the SQL of every statement the store prepares. */
function recording(handle: SqliteHandle): { handle: SqliteHandle; prepared: string[] } {
  const prepared: string[] = [];
  return { handle: { ...handle, stmt: (sql) => (prepared.push(sql), handle.stmt(sql)) }, prepared };
}

describe('sqlite outbox claims', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-outbox-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the earlier messages of a notification through an index on its alert and channel, not by reading every pending one', async () => {
    const raw = openDatabase({ path: join(dir, 'plan.db') });
    migrate(raw);
    const { handle, prepared } = recording(raw);
    const alerts = createSqliteAlerts(handle, () => {});
    await alerts.applyAlertTransition({
      record: { key: 'r:c', rule: 'r', check: 'c', state: 'ALARM', since: T0, evaluations: [], version: 1 },
      fromVersion: 0,
      notifications: [message('m1', 'r:c', 1, T0)],
    });
    assert.equal((await alerts.claimNotifications('a', T0, 1000, 10)).length, 1);
    const claim = prepared.find((sql) => /NOT EXISTS/.test(sql));
    assert.ok(claim, 'the claim statement');
    const plan = (raw.db.prepare(`EXPLAIN QUERY PLAN ${claim}`).all(T0, T0, 10) as { detail: string }[]).map((row) => row.detail);
    const inner = plan.filter((detail) => /\bp\b/.test(detail));
    assert.equal(inner.length, 1, `one step reads the earlier messages: ${plan.join(' | ')}`);
    assert.match(inner[0], /^SEARCH p USING (COVERING )?INDEX \S+ \(channel=\? AND alert_key=\?/, 'looked up by channel and alert, not all pending rows');
    raw.close();
  });

  it('migrates pending messages of the old shape: their order per alert and channel still holds', async () => {
    const raw = openDatabase({ path: join(dir, 'old.db') });
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 6));
    // written by a release before migration 7: the key and sequence only inside the event JSON
    const insert = raw.db.prepare(
      `INSERT INTO notifications (id, check_name, channel, state, attempts, next_attempt_at, created_at, event) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    const old = [
      message('a-2', 'r:a', 2, T0 + 1), // a's second message, written first by a fast clock
      message('a-1', 'r:a', 1, T0 + 5),
      message('b-0', 'r:b', undefined, T0 + 2), // no sequence: stored before sequences existed
      message('b-1', 'r:b', undefined, T0 + 3),
      message('a-1-pager', 'r:a', 1, T0 + 4, 'pager'),
    ];
    for (const n of old) insert.run(n.id, n.event.check, n.channel, n.nextAttemptAt, n.createdAt, JSON.stringify(n.event));
    assert.deepEqual(migrate(raw), MIGRATIONS.filter((m) => m.version > 6).map((m) => m.version));
    const alerts = createSqliteAlerts(raw, () => {});
    const first = await alerts.claimNotifications('a', T0 + 10, 1000, 10);
    assert.deepEqual(first.map((n) => n.id).sort(), ['a-1', 'a-1-pager', 'b-0'], 'the first pending message of each alert and channel');
    assert.deepEqual(first.find((n) => n.id === 'a-1')?.event, old[1].event, 'the event is kept as it was');
    for (const n of first) await alerts.completeNotification(n.id, { sentAt: T0 + 11 });
    assert.deepEqual((await alerts.claimNotifications('a', T0 + 2000, 1000, 10)).map((n) => n.id).sort(), ['a-2', 'b-1']);
    raw.close();
  });
});
