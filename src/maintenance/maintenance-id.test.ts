import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maintenanceId } from './maintenance-id.ts';

describe('maintenanceId', () => {
  it('is URL-safe, readable, and the same for the same window and start', () => {
    assert.match(maintenanceId('Nightly patching', 1_773_543_600_000), /^mw-nightly-patching-[0-9a-f]{8}-1773543600000$/);
    assert.equal(maintenanceId('DB move / 2026 ✓', 5), maintenanceId('DB move / 2026 ✓', 5));
    for (const name of ['DB move / 2026 ✓', '日本語', '../../etc', 'a?b#c d%20']) assert.match(maintenanceId(name, 5), /^[a-z0-9-]+$/, name);
  });

  it('keeps windows apart whose names differ only in spacing, case or punctuation', () => {
    const names = ['Nightly patching', 'nightly-patching', 'Nightly  patching', 'NIGHTLY PATCHING'];
    assert.equal(new Set(names.map((n) => maintenanceId(n, 0))).size, names.length);
  });
});
