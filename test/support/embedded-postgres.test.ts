import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

describe('startEmbeddedPostgres', () => {
  it('starts independent servers side by side and removes everything on stop', async () => {
    const [a, b] = await Promise.all([startEmbeddedPostgres(), startEmbeddedPostgres()]);
    try {
      assert.notEqual(a.port, b.port);
      assert.notEqual(a.dataDir, b.dataDir);
      const client = new pg.Client({ connectionString: a.url, connectionTimeoutMillis: 5000 });
      await client.connect();
      const { rows } = await client.query<{ user: string; fsync: string }>('SELECT current_user AS user, current_setting($1) AS fsync', ['fsync']);
      assert.deepEqual(rows[0], { user: 'postgres', fsync: 'off' });
      await client.query('CREATE TABLE only_in_a (x int)');
      await client.end();
      const other = new pg.Client({ connectionString: b.url, connectionTimeoutMillis: 5000 });
      await other.connect();
      const found = await other.query(`SELECT to_regclass('only_in_a') AS t`);
      assert.equal(found.rows[0].t, null, 'each server has its own data');
      await other.end();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    assert.equal(existsSync(a.dataDir), false);
    assert.equal(existsSync(b.dataDir), false);
    const late = new pg.Client({ connectionString: a.url, connectionTimeoutMillis: 2000 });
    await assert.rejects(late.connect(), 'a stopped server accepts no connections');
    await a.stop(); // idempotent
  });
});
