import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database.ts';
import { migrate } from './migrations.ts';
import { createNameTable } from './names.ts';
import { liveHeapAndBufferBytes as liveBytes } from '../../../test/support/live-heap.ts';

const CHECKS = 20_000;

describe('SQLite name table memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-names-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('caches name → id and id → name in under 24 bytes per name (a Map and an array were ~48, two Maps ~92; bytes after a full GC)', (t) => {
    const handle = openDatabase({ path: join(dir, 'upstate.db') });
    migrate(handle);
    const names = Array.from({ length: CHECKS }, (_, i) => `check-${i}`);
    const table = createNameTable(handle);
    // the statements and their caches exist before the measurement
    table.ensure(['warm-up']);
    table.nameOf(table.lookup('warm-up')!);
    const before = liveBytes();
    const ids = table.ensure(names);
    // every id read back once, as reading history does (both directions cached)
    for (const name of names) assert.equal(table.nameOf(ids.get(name)!), name);
    ids.clear();
    const perName = (liveBytes() - before) / CHECKS;
    t.diagnostic(`${perName.toFixed(1)} bytes per cached name`);
    assert.ok(perName < 24, `${perName.toFixed(1)} bytes per cached name`);
    // still answers from the cache after the measurement
    assert.equal(table.lookup('check-7'), table.ensure(['check-7']).get('check-7'));
    handle.close();
  });
});

describe('SQLite name table lookups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-names-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('find every cached name, in both directions, across merges of recent names and from a second connection', () => {
    const handle = openDatabase({ path: join(dir, 'upstate.db') });
    migrate(handle);
    const table = createNameTable(handle);
    // batches of many sizes, names out of order and with shared prefixes, so several merges run
    const names = Array.from({ length: 5_000 }, (_, i) => `n-${(i * 7919) % 5_000}${i % 3 ? '' : '-x'}`);
    const ids = new Map<string, number>();
    for (let start = 0, size = 1; start < names.length; start += size, size = size * 2 + 1) {
      for (const [name, id] of table.ensure(names.slice(start, start + size))) ids.set(name, id);
    }
    assert.equal(new Set(ids.values()).size, names.length);
    for (const name of names) {
      assert.equal(table.lookup(name), ids.get(name), name);
      assert.equal(table.nameOf(ids.get(name)!), name);
    }
    assert.equal(table.lookup('n-'), undefined);
    assert.equal(table.lookup('n-5000'), undefined);
    // a fresh cache learns ids by id first (reading history), then answers by name
    const other = createNameTable(handle);
    for (const name of names.slice(0, 2_000)) assert.equal(other.nameOf(ids.get(name)!), name);
    for (const name of names) assert.equal(other.lookup(name), ids.get(name), name);
    handle.close();
  });
});
