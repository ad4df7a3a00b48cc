import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { buildStatusModel } from '../status/build-status-model.ts';
import { emptyRollup, type Rollup } from '../domain/rollup.ts';
import { createTheme } from './theme.ts';
import { statesAfter, result, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const DAY = 86_400_000;
const KB = 1024;

/** Failed results (of 1440) on day `d` (0 = today) of check `i`; null = no data that day. */
type DayPattern = (i: number, d: number) => number | null;

/**
 * Realistic: mostly healthy. Check i has i % 5 bad days at scattered positions (a few failures
 * to a bad outage), and every tenth check was added 20–40 days ago (no data before that).
 */
const realistic: DayPattern = (i, d) => {
  if (i % 10 === 3 && d >= 20 + (i % 21)) return null;
  for (let k = 0; k < i % 5; k++) if (d === (i * 17 + k * 23 + 5) % 90) return [2, 15, 200, 40][k];
  return 0;
};

/** Worst case: every day differs from the day before (value and, often, colour). */
const everyDayDifferent: DayPattern = (i, d) => 1 + ((i + d) % 2) * 30 + (d % 7) * 3;

/** `collapseGroupsAbove` 1000 shows every group open (every bar on the page); 20 is the default. */
function render(pattern: DayPattern, collapseGroupsAbove = 1000) {
  const checks = Array.from({ length: 100 }, (_, i) => testCheck(`Service number ${i + 1}`, { group: `Region ${(i % 10) + 1}`, description: `Endpoint ${i + 1} of the public API` }));
  const daily: Rollup[] = [];
  for (const [i, check] of checks.entries()) {
    for (let d = 0; d < 90; d++) {
      const failed = pattern(i, d);
      if (failed === null) continue;
      const r = emptyRollup(check.name, 'day', Math.floor(NOW / DAY) * DAY - d * DAY);
      r.count = 1440;
      r.ok = 1440 - failed;
      daily.push(r);
    }
  }
  const results = checks.map((c, i) => result(c.name, NOW - 20_000, i % 17 === 0 ? 'down' : 'up', 80 + i, i % 17 === 0 ? { failure: { class: 'status', message: 'expected 200, got 503' } } : {}));
  const model = buildStatusModel({ checks, states: statesAfter(results), rollupsHourly: [], rollupsDaily: daily, incidents: [], now: NOW });
  const config = testConfig(checks, { page: { title: 'Acme status', collapseGroupsAbove } });
  const theme = createTheme();
  theme.render('index.njk', { page: config.page, live: true, now: NOW, model }); // warm the template cache
  const started = performance.now();
  const html = theme.render('index.njk', { page: config.page, live: true, now: NOW, model });
  const renderMs = performance.now() - started;
  // Days covered by each bar: every bar must still span exactly 90 day columns.
  const bars = [...html.matchAll(/<ol class=bar[^>]*>(.*?)<\/ol>/g)].map((m) => (m[1].match(/<li[^>]*>/g) ?? []).map((li) => Number(/--n:(\d+)/.exec(li)?.[1] ?? 1)));
  return { html, raw: Buffer.byteLength(html), gzip: gzipSync(html).length, renderMs, bars };
}

function report(label: string, page: ReturnType<typeof render>): void {
  const elements = page.bars.reduce((sum, b) => sum + b.length, 0);
  // Reported so regressions in markup weight are visible in the test output.
  console.log(`${label}: ${(page.raw / KB).toFixed(1)} KiB raw, ${(page.gzip / KB).toFixed(1)} KiB gzip, ${elements} bar elements, rendered in ${page.renderMs.toFixed(0)} ms`);
}

describe('status page size (100 checks × 90 days)', () => {
  it('stays within 100 KB of raw HTML for mostly-healthy checks', () => {
    const page = render(realistic);
    report('realistic page', page);
    assert.equal(page.bars.length, 100);
    assert.ok(page.bars.every((b) => b.reduce((a, n) => a + n, 0) === 90), 'every bar spans 90 days');
    // Healthy runs are merged: the page is far from one element per day.
    assert.ok(page.bars.reduce((sum, b) => sum + b.length, 0) < 1000);
    // The bar, read strictly as 100 000 bytes of raw HTML (gzip does not count).
    assert.ok(page.raw <= 100_000, `raw ${page.raw}`);
  });

  it('is lighter still with healthy groups collapsed (the default above 20 checks)', () => {
    const open = render(realistic);
    const page = render(realistic, 20);
    report('realistic page, healthy groups collapsed', page);
    // 6 of the 10 groups have a check down now: they stay open with their bars; the other 4 link to their page
    assert.equal(page.bars.length, 60);
    assert.equal(page.html.match(/<p class="empty lazy" data-group=/g)?.length, 4);
    assert.ok(page.raw < open.raw, `collapsed ${page.raw} vs open ${open.raw}`);
  });

  it('keeps one cell per day when every day differs, within 100 KB gzip', () => {
    const page = render(everyDayDifferent);
    report('worst case (every day different)', page);
    assert.ok(page.bars.every((b) => b.length === 90 && b.every((n) => n === 1)), 'one cell per day');
    assert.ok(page.gzip <= 100 * KB, `gzip ${page.gzip}`);
    assert.ok(page.raw <= 512 * KB, `raw ${page.raw}`);
  });
});
