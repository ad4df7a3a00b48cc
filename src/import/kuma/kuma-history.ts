/**
 * Kuma heartbeats → Upstate results. Statuses are flattened the way Kuma's own uptime counts them
 * (2.x `UptimeCalculator`): UP and MAINTENANCE count as up, DOWN and PENDING as down. Imported
 * results therefore give the same up/(up+down) ratio Kuma showed for any window. (Kuma 1.x
 * weighted each beat by its duration; with regular beats that is the same ratio.)
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
    series.push({ check, results });
  }
  return series;
}
