import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import type { CheckResult } from '../domain/result.ts';
import type { Hono } from 'hono';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const CHECKS = 2000;
const GROUP_SIZE = 20;
/** Checks down now: three groups have trouble, the other 97 are healthy. */
const DOWN = new Set([3, 777, 1501]);

/**
 * 2,000 checks in 100 groups of 20 with 90 days of daily rollups (one result per check and day,
 * written through `recordResults` into a real SQLite store; some days had a failure), and a
 * current result per check. The size bars: `/` ≤ 200 KB of raw HTML with healthy groups
 * collapsed, `/api/v1/status` ≤ 1 MB with the daily series only on request.
 */
describe('status outputs at 2,000 checks × 90 days', () => {
  let app: Hono;
  let cleanup: () => Promise<void>;
  const names = Array.from({ length: CHECKS }, (_, i) => `Service number ${String(i + 1).padStart(4, '0')}`);
  before(async () => {
    const opened = await openTestStore();
    cleanup = opened.cleanup;
    const checks = names.map((name, i) => testCheck(name, { group: `Region ${Math.floor(i / GROUP_SIZE) + 1}`, description: `Endpoint ${i + 1} of the public API` }));
    const today = Math.floor(NOW / DAY) * DAY;
    for (let d = 89; d >= 1; d--) {
      const day: CheckResult[] = names.map((name, i) => {
        const bad = (i * 7 + d) % 97 === 0;
        return result(name, today - d * DAY + 3_600_000, bad ? 'down' : 'up', 80 + (i % 50), bad ? { failure: { class: 'timeout', message: 'x' } } : { statusCode: 200 });
      });
      await opened.store.recordResults({ results: day, states: [] });
    }
    const current = names.map((name, i) =>
      result(name, NOW - 20_000, DOWN.has(i) ? 'down' : 'up', 80 + (i % 50), DOWN.has(i) ? { failure: { class: 'status', message: 'status 503' }, statusCode: 503 } : { statusCode: 200 }),
    );
    await seed(opened.store, current);
    app = createApp({ config: testConfig(checks, { page: { title: 'Acme status' } }), store: opened.store, now: () => NOW });
  });
  after(async () => cleanup?.());

  const bytesOf = async (path: string) => {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    const body = await res.text();
    return { body, bytes: Buffer.byteLength(body) };
  };

  it('serves / within 200 KB of raw HTML, healthy groups collapsed', async () => {
    const { body, bytes } = await bytesOf('/');
    console.log(`/ at ${CHECKS} checks: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
    const groups = body.match(/<details class="card grp"/g)?.length;
    const open = body.match(/<details class="card grp" open>/g)?.length;
    assert.equal(groups, CHECKS / GROUP_SIZE);
    assert.equal(open, DOWN.size, 'the groups with a down check are open');
    // the down checks are on the page with their bars
    for (const i of DOWN) assert.ok(body.includes(`>${names[i]}</a>`), names[i]);
    assert.ok(bytes <= 200_000, `raw ${bytes} bytes`);
    // a collapsed group links to its own page, which has every row and bar of the group
    const lazy = body.match(/<p class="empty lazy" data-group=(\S+)><a href=(\/groups\/\S+)>/g) ?? [];
    assert.equal(lazy.length, CHECKS / GROUP_SIZE - DOWN.size);
    const href = /href=(\S+)>/.exec(lazy[0] ?? '')?.[1] as string;
    const group = await bytesOf(href);
    assert.equal(group.body.match(/<li class=comp /g)?.length, GROUP_SIZE);
    assert.equal(group.body.match(/<ol class=bar>/g)?.length, GROUP_SIZE);
  });

  it('serves /api/v1/status within 1 MB without the daily series, and with them when asked', async () => {
    const lean = await bytesOf('/api/v1/status');
    const full = await bytesOf('/api/v1/status?include=daily');
    console.log(`/api/v1/status at ${CHECKS} checks: ${lean.bytes} bytes; ?include=daily: ${full.bytes} bytes`);
    const leanJson = JSON.parse(lean.body);
    const fullJson = JSON.parse(full.body);
    assert.equal(leanJson.components.length, CHECKS);
    assert.equal(leanJson.components[0].daily, undefined, 'no daily series by default');
    assert.equal(fullJson.components[0].daily.length, 90);
    assert.equal(fullJson.groups[0].daily.length, 90);
    assert.ok(lean.bytes <= 1_000_000, `raw ${lean.bytes} bytes`);
  });
});
