import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from './database.ts';

describe('openDatabase transactions', () => {
  it('build one transaction wrapper per connection, not one per write or read', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-db-'));
    const built = t.mock.method(Database.prototype, 'transaction');
    const handle = openDatabase({ path: join(dir, 'x.db') });
    try {
      handle.db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = handle.stmt('INSERT INTO t (v) VALUES (?)');
      for (let i = 0; i < 20; i++) handle.write(() => insert.run(`v${i}`));
      for (let i = 0; i < 20; i++) handle.read(() => handle.stmt('SELECT count(*) AS n FROM t').get());
      // at 500 checks @ 20 s a few writes a second each ran in cold code, and building the wrapper
      // was ~50 of a write's ~120 µs (main: 40 wrappers here)
      assert.equal(built.mock.callCount(), 1);
    } finally {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep their semantics: a throw rolls the write back, a nested write joins the outer one, results come back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-db-'));
    const handle = openDatabase({ path: join(dir, 'x.db') });
    try {
      handle.db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = handle.stmt('INSERT INTO t (v) VALUES (?)');
      const count = () => (handle.stmt('SELECT count(*) AS n FROM t').get() as { n: number }).n;
      assert.throws(() => handle.write(() => { insert.run('a'); throw new Error('boom'); }), /boom/);
      assert.equal(count(), 0);
      const id = handle.write(() => {
        insert.run('outer');
        return handle.write(() => Number(insert.run('inner').lastInsertRowid));
      });
      assert.equal(id, 2);
      assert.equal(handle.read(count), 2);
      assert.equal(handle.db.inTransaction, false);
    } finally {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openDatabase page cache', () => {
  it('stays at SQLite’s 2 MB after a scan of a large file, not better-sqlite3’s 16 MB build default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-db-'));
    const path = join(dir, 'x.db');
    try {
      // written through a connection with a tiny cache, so the memory it frees on close is not
      // there for the reader's cache to reuse
      const writer = new Database(path);
      writer.pragma('cache_size = -100');
      writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      // ~25 MB of ordinary rows (no overflow pages), more than either cache size
      writer.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
        INSERT INTO t (v) SELECT printf('%.500c', char(65 + i % 26)) FROM n`);
      writer.close();
      // a fresh connection starts with an empty cache; one SQL scan reads every page through it
      // and allocates nothing in JavaScript, so the RSS it adds is the cache it keeps
      const reader = openDatabase({ path });
      const before = process.memoryUsage.rss();
      const read = reader.db.prepare('SELECT sum(unicode(substr(v, 250, 1))) AS s FROM t').get() as { s: number };
      const grewMb = (process.memoryUsage.rss() - before) / 2 ** 20;
      reader.close();
      assert.ok(read.s > 0);
      // on better-sqlite3's build default the scan left 13.6 MB resident
      assert.ok(grewMb < 8, `a full scan added ${grewMb.toFixed(1)} MB of RSS`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
