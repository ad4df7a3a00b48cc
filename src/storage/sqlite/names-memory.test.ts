import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database.ts';
import { migrate } from './migrations.ts';
import { createNameTable } from './names.ts';
import { liveHeapBytes as liveBytes } from '../../../test/support/live-heap.ts';

const CHECKS = 20_000;

describe('SQLite name table memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-names-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('caches name → id and id → name in under 70 bytes per name (two Maps were ~92; bytes after a full GC)', (t) => {
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
    assert.ok(perName < 70, `${perName.toFixed(1)} bytes per cached name`);
    // still answers from the cache after the measurement
    assert.equal(table.lookup('check-7'), table.ensure(['check-7']).get('check-7'));
    handle.close();
  });
});
