import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { buildStatusModel } from '../status/build-status-model.js';
import { emptyRollup, type Rollup } from '../domain/rollup.js';
import { createTheme } from './theme.js';
import { statesAfter, result, testCheck, testConfig } from './test-fixture.js';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const DAY = 86_400_000;

/** 100 checks in 10 groups, each with 90 days of daily rollups of varied uptime. */
function bigModel() {
  const checks = Array.from({ length: 100 }, (_, i) => testCheck(`Service number ${i + 1}`, { group: `Region ${(i % 10) + 1}`, description: `Endpoint ${i + 1} of the public API` }));
  const daily: Rollup[] = [];
  for (const [i, check] of checks.entries()) {
    for (let d = 0; d < 90; d++) {
      const r = emptyRollup(check.name, 'day', Math.floor(NOW / DAY) * DAY - d * DAY);
      r.count = 1440;
      r.ok = 1440 - ((i * 7 + d * 13) % 97 === 0 ? 200 : (i + d) % 11 === 0 ? 3 : 0);
      daily.push(r);
    }
  }
  const results = checks.map((c, i) => result(c.name, NOW - 20_000, i % 17 === 0 ? 'down' : 'up', 80 + i, i % 17 === 0 ? { failure: { class: 'status', message: 'expected 200, got 503' } } : {}));
  return { checks, model: buildStatusModel({ checks, states: statesAfter(results), rollupsHourly: [], rollupsDaily: daily, incidents: [], now: NOW }) };
}

describe('status page size', () => {
  it('stays within 100 KB on the wire for 100 checks × 90 days', () => {
    const { checks, model } = bigModel();
    const config = testConfig(checks);
    const theme = createTheme();
    theme.render('index.njk', { page: config.page, live: true, now: NOW, model }); // warm the template cache
    const started = performance.now();
    const html = theme.render('index.njk', { page: config.page, live: true, now: NOW, model });
    const renderMs = performance.now() - started;
    const raw = Buffer.byteLength(html);
    const gzip = gzipSync(html).length;
    const cells = [...html.matchAll(/<ol class="bar"[^>]*>(.*?)<\/ol>/g)].map((m) => (m[1].match(/<li/g) ?? []).length);
    assert.deepEqual([cells.length, new Set(cells).size, cells[0]], [100, 1, 90]);
    // Reported so regressions in markup weight are visible in the test output.
    console.log(`page for 100 checks × 90 days: ${(raw / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip, rendered in ${renderMs.toFixed(0)} ms`);
    assert.ok(gzip <= 100 * 1024, `gzip ${gzip}`);
    assert.ok(raw <= 512 * 1024, `raw ${raw}`);
  });
});
