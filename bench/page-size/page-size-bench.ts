/**
 * `npm run bench -- page-size`: what the status outputs weigh and what a pure render costs.
 *
 * Bytes: `/`, `/api/v1/status` and `/api/v1/status?include=daily` as the real app serves them
 * from a real SQLite store, at 100 and 2,000 checks in groups of 20 with 90 days of daily rollups
 * (one result per check and day through `recordResults`; three checks down now).
 * Time: `buildStatusModel` + `index.njk` in-process at 100 and 1,000 checks × 90 days (daily and
 * 7 days of hourly rollups in memory, no store, no cache), wall and process CPU per pass.
 * @module
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type { Bench, Row } from '../lib/bench.ts';
import type { CheckResult } from '../../src/domain/result.ts';
import type { UpstateConfig } from '../../src/config/types.ts';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { createApp } from '../../src/http/create-app.ts';
import { round, thousands } from '../lib/stats.ts';
import { badDay, downChecks, pageWorld, worldChecks } from './model-fixture.ts';
import { timePureRender } from './render-speed.ts';
import { pageConfig } from '../page/page-fixture.ts';

const DAY = 86_400_000;
const PATHS = ['/', '/api/v1/status', '/api/v1/status?include=daily'] as const;

function config(count: number): UpstateConfig {
  const world = pageWorld(Math.min(count, 1), 0);
  // the page bench's config, with this fixture's checks and page settings
  return { ...pageConfig(worldChecks(count), 0), page: { ...world.page, cacheSeconds: 0 } };
}

/** Bytes of each output at `count` checks, served by the app from a freshly seeded store. */
async function sizesAt(count: number, dir: string, now: number): Promise<{ bytes: Record<string, number>; seedS: number }> {
  const store = createSqliteStore({ path: join(dir, `page-size-${count}.db`) });
  await store.migrate();
  const cfg = config(count);
  const names = cfg.checks.map((c) => c.name);
  const today = Math.floor(now / DAY) * DAY;
  const t0 = performance.now();
  for (let d = 89; d >= 1; d--) {
    const results: CheckResult[] = names.map((check, i) =>
      badDay(i, d) ? { check, at: today - d * DAY + 3_600_000, status: 'down', latencyMs: 10_000, failure: { class: 'timeout', message: 'x' } } : { check, at: today - d * DAY + 3_600_000, status: 'up', latencyMs: 80 + (i % 50), statusCode: 200 },
    );
    await store.recordResults({ results, states: [] });
  }
  const down = downChecks(count);
  const current: CheckResult[] = names.map((check, i) =>
    down.has(i) ? { check, at: now - 20_000, status: 'down', latencyMs: 10_000, statusCode: 503, failure: { class: 'status', message: 'status 503' } } : { check, at: now - 20_000, status: 'up', latencyMs: 80 + (i % 50), statusCode: 200 },
  );
  await store.recordResults({ results: current, states: current.map((r) => ({ check: r.check, status: r.status, since: r.at, lastResult: r, streak: 0 })) });
  const seedS = (performance.now() - t0) / 1000;
  try {
    const app = createApp({ config: cfg, store, now: () => now });
    const bytes: Record<string, number> = {};
    for (const path of PATHS) {
      const res = await app.request(path);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      bytes[path] = (await res.arrayBuffer()).byteLength;
    }
    return { bytes, seedS };
  } finally {
    await store.close();
  }
}

export const pageSizeBench: Bench = async (options) => {
  const now = Date.now();
  const rows: Row[] = [];
  const sizes: Record<number, Awaited<ReturnType<typeof sizesAt>>> = {};
  for (const count of [100, 2000]) {
    options.log(`page-size: seeding ${count} checks × 90 days`);
    sizes[count] = await sizesAt(count, options.tmpDir, now);
    const b = sizes[count].bytes;
    rows.push({
      metric: `bytes at ${thousands(count)} checks`,
      value: `/ ${thousands(b['/'])} B`,
      note: `/api/v1/status ${thousands(b['/api/v1/status'])} B; ?include=daily ${thousands(b['/api/v1/status?include=daily'])} B (store seeded in ${round(sizes[count].seedS, 1)} s)`,
    });
  }
  const timing: Record<number, ReturnType<typeof timePureRender>> = {};
  for (const [count, iterations] of [[100, options.quick ? 30 : 100], [1000, options.quick ? 10 : 40]] as const) {
    options.log(`page-size: timing model + template at ${count} checks`);
    timing[count] = timePureRender(pageWorld(count, now), iterations);
    const t = timing[count];
    rows.push({
      metric: `model + template at ${thousands(count)} checks`,
      value: `p50 ${round(t.pure.p50, 1)} ms, p99 ${round(t.pure.p99, 1)} ms`,
      note: `build p50 ${round(t.build.p50, 1)} ms, template p50 ${round(t.template.p50, 1)} ms; CPU p50 ${round(t.pureCpu.p50, 1)} ms, p99 ${round(t.pureCpu.p99, 1)} ms; ${thousands(t.htmlBytes)} B; load ${round(loadavg()[0], 1)}`,
    });
  }
  const big = sizes[2000].bytes;
  const bars = [
    { bar: '/ ≤ 200 KB raw HTML at 2,000 checks (healthy groups collapsed)', measured: `${thousands(big['/'])} B`, met: big['/'] <= 200_000 },
    { bar: '/api/v1/status ≤ 1 MB at 2,000 checks (daily series on request)', measured: `${thousands(big['/api/v1/status'])} B`, met: big['/api/v1/status'] <= 1_000_000 },
    { bar: 'model + template p50 ≤ 10 ms at 100 checks × 90 days', measured: `p50 ${round(timing[100].pure.p50, 2)} ms (CPU ${round(timing[100].pureCpu.p50, 2)} ms)`, met: timing[100].pure.p50 <= 10 },
    { bar: 'model + template p50 ≤ 50 ms at 1,000 checks × 90 days', measured: `p50 ${round(timing[1000].pure.p50, 2)} ms (CPU ${round(timing[1000].pureCpu.p50, 2)} ms)`, met: timing[1000].pure.p50 <= 50 },
  ];
  return { name: 'page-size', rows, bars, data: { sizes, timing, loadavg: loadavg() } };
};
