import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import { createPgPool, type PgPoolLike } from './pg-pool.ts';
import { MIGRATIONS, runMigrations } from './migrations.ts';

describe('postgres migrations', () => {
  let server: EmbeddedPostgres;
  const pools: PgPoolLike[] = [];
  before(async () => {
    server = await startEmbeddedPostgres();
    for (let i = 0; i < 4; i++) pools.push(createPgPool(server.url, { max: 1 }));
  });
  after(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await server.stop();
  });

  it('applies each version exactly once when several instances start at the same time', async () => {
    const ran = await Promise.all(pools.map((pool) => runMigrations(pool)));
    // exactly one instance ran every migration; the others found them applied
    assert.deepEqual(ran.flat().sort(), MIGRATIONS.map((m) => m.version));
    assert.equal(ran.filter((versions) => versions.length > 0).length, 1);
    const { rows } = await pools[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows.map((row) => row.version), MIGRATIONS.map((m) => m.version));
    assert.deepEqual(await runMigrations(pools[1]), []);
  });

  it('keeps versions ascending and unique', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    assert.deepEqual(versions, [...new Set(versions)].sort((a, b) => a - b));
  });
});
