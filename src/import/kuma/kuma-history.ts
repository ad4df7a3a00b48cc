/**
 * Kuma heartbeats → Upstate results. Statuses are flattened the way Kuma's own uptime counts them
 * (2.x `UptimeCalculator`): UP and MAINTENANCE count as up, DOWN and PENDING as down. Imported
 * results therefore give the same up/(up+down) ratio Kuma showed for any window. (Kuma 1.x
 * weighted each beat by its duration; with regular beats that is the same ratio.)
 *
 * Kuma 2.x deletes heartbeats after its retention (`keepDataPeriodDays`) but keeps its daily
 * aggregates (`stat_daily`): for the beats a day's row counts and the database no longer holds,
 * results are added, spread evenly over that day with the row's average ping, so the daily bars
 * and uptime figures reach back as far as Kuma's own.
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import { classifyMessage } from '../classify-message.ts';
import type { HistorySeries } from '../import-history.ts';
import { KUMA_STATUS, kumaTime } from './kuma-model.ts';
import type { KumaDatabase } from './read-kuma-sqlite.ts';

/** One series per imported monitor, oldest first, optionally only beats after `since`. */
export function readKumaHistory(db: KumaDatabase, checkNames: ReadonlyMap<number, string>): HistorySeries[] {
  const query = db.prepare('SELECT status, msg, time, ping FROM heartbeat WHERE monitor_id = ? ORDER BY time, id');
  const series: HistorySeries[] = [];
  for (const [id, check] of checkNames) {
    const results: CheckResult[] = [];
    for (const row of query.iterate(id) as Iterable<{ status: number; msg: string | null; time: string; ping: number | null }>) {
      const at = kumaTime(row.time);
      if (!Number.isFinite(at)) continue;
      const up = row.status === KUMA_STATUS.UP || row.status === KUMA_STATUS.MAINTENANCE;
      const result: CheckResult = { check, at, status: up ? 'up' : 'down', latencyMs: Math.max(0, Number(row.ping) || 0) };
      if (!up) {
        const message = (row.msg ?? '').slice(0, 500) || (row.status === KUMA_STATUS.PENDING ? 'pending (retrying)' : 'down');
        result.failure = { class: classifyMessage(message), message };
      }
      results.push(result);
    }
    fillFromDailyStats(db, id, check, results);
    results.sort((a, b) => a.at - b.at);
    series.push({ check, results });
  }
  return series;
}

const DAY = 86_400_000;

/** Adds the results of `stat_daily` rows (Kuma 2.x) that the remaining heartbeats do not account for. */
function fillFromDailyStats(db: KumaDatabase, monitorId: number, check: string, results: CheckResult[]): void {
  let rows: { timestamp: number; up: number; down: number; ping: number | null }[];
  try {
    rows = db.prepare('SELECT timestamp, up, down, ping FROM stat_daily WHERE monitor_id = ? ORDER BY timestamp').all(monitorId) as typeof rows;
  } catch {
    return; // 1.23: no aggregate tables
  }
  const added: CheckResult[] = [];
  for (const row of rows) {
    const start = Number(row.timestamp) * 1000;
    const inside = results.filter((r) => r.at >= start && r.at < start + DAY);
    const missing = Math.max(0, Number(row.up) + Number(row.down) - inside.length);
    if (!missing) continue;
    const up = Math.min(missing, Math.max(0, Number(row.up) - inside.filter((r) => r.status === 'up').length));
    const latencyMs = Math.max(0, Math.round(Number(row.ping) || 0));
    for (let k = 0; k < missing; k++) {
      // the day's failures spread evenly among its added results
      const failed = Math.floor(((k + 1) * (missing - up)) / missing) > Math.floor((k * (missing - up)) / missing);
      const at = start + Math.floor(((k + 0.5) * DAY) / missing);
      added.push(failed
        ? { check, at, status: 'down', latencyMs, failure: { class: 'status', message: 'down (imported from Kuma daily statistics)' } }
        : { check, at, status: 'up', latencyMs });
    }
  }
  results.push(...added);
}
