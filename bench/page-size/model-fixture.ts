/**
 * The page-size benchmark's world, built in memory: `count` checks in groups of 20 with 90 days
 * of daily rollups and 7 days of hourly rollups, and a current state per check. Mostly healthy:
 * a check has a failed day now and then, and three checks are down now (so three groups are
 * open on a large page). Deterministic, so every run renders the same bytes.
 * @module
 */
import type { Check } from '../../src/domain/check.ts';
import type { CheckResult } from '../../src/domain/result.ts';
import type { CheckState } from '../../src/domain/status.ts';
import { emptyRollup, type Rollup } from '../../src/domain/rollup.ts';
import { bucketIndex } from '../../src/domain/histogram.ts';
import type { StatusModelInput } from '../../src/status/build-status-model.ts';
import { pageConfigSchema } from '../../src/http/page-config.ts';
import { httpConfigSchema } from '../../src/probes/http/http-config.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const GROUP_SIZE = 20;

export interface PageWorld {
  checks: Check[];
  input: StatusModelInput;
  page: ReturnType<typeof pageConfigSchema.parse>;
}

function check(i: number): Check {
  const url = `https://service-${i}.example.com/health`;
  return {
    name: `Service number ${String(i + 1).padStart(4, '0')}`,
    group: `Region ${Math.floor(i / GROUP_SIZE) + 1}`,
    description: `Endpoint ${i + 1} of the public API`,
    intervalMs: 60_000,
    timeoutMs: 10_000,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    conditions: [],
    kind: 'http',
    probe: httpConfigSchema.parse({ url }),
    target: url,
    regions: ['local'],
    quorum: 1,
  };
}

function rollup(name: string, resolution: 'hour' | 'day', start: number, count: number, failed: number, latency: number): Rollup {
  const r = emptyRollup(name, resolution, start);
  r.count = count;
  r.ok = count - failed;
  r.latencySum = latency * count;
  r.latencyMin = latency;
  r.latencyMax = latency * 3;
  // most results near the typical latency, a few slow ones
  r.histogram[bucketIndex(latency)] = count - Math.floor(count / 20);
  r.histogram[bucketIndex(latency * 3)] += Math.floor(count / 20);
  return r;
}

/** The checks of a `count`-check world that are down now (by index): three, in three groups. */
export function downChecks(count: number): Set<number> {
  return new Set([3, Math.floor(count * 0.39), Math.floor(count * 0.75)]);
}

/** Whether check `i` failed on the day `d` days ago (about one day in 97). */
export function badDay(i: number, d: number): boolean {
  return (i * 7 + d) % 97 === 0;
}

/** `count` checks in groups of 20. */
export function worldChecks(count: number): Check[] {
  return Array.from({ length: count }, (_, i) => check(i));
}

/** `count` checks at `now`, as the store would hand them to `buildStatusModel`. */
export function pageWorld(count: number, now: number): PageWorld {
  const checks = worldChecks(count);
  const down = downChecks(count);
  const today = Math.floor(now / DAY) * DAY;
  const thisHour = Math.floor(now / HOUR) * HOUR;
  const rollupsDaily: Rollup[] = [];
  const rollupsHourly: Rollup[] = [];
  const states: CheckState[] = [];
  for (const [i, c] of checks.entries()) {
    for (let d = 89; d >= 0; d--) {
      const failed = badDay(i, d) ? 1 + (i % 40) : 0;
      rollupsDaily.push(rollup(c.name, 'day', today - d * DAY, 1440, failed, 80 + (i % 50)));
    }
    for (let h = 167; h >= 0; h--) rollupsHourly.push(rollup(c.name, 'hour', thisHour - h * HOUR, 60, 0, 80 + (i % 50)));
    const isDown = down.has(i);
    const last: CheckResult = isDown
      ? { check: c.name, at: now - 20_000, status: 'down', latencyMs: 10_000, statusCode: 503, failure: { class: 'status', message: 'status 503' } }
      : { check: c.name, at: now - 20_000, status: 'up', latencyMs: 80 + (i % 50), statusCode: 200 };
    states.push({ check: c.name, status: last.status, since: now - 3 * DAY, lastResult: last, streak: 0 });
  }
  return {
    checks,
    input: { checks, states, rollupsHourly, rollupsDaily, incidents: [], now },
    page: pageConfigSchema.parse({ title: 'Acme status', description: 'Live status of Acme services' }),
  };
}
