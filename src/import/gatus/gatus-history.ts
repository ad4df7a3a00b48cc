/**
 * History from Gatus's SQL storage (tables `endpoints`, `endpoint_results`, `endpoint_uptimes`,
 * per Gatus's storage/store/sql schema). Gatus keeps only its last results per endpoint (100 by
 * default) plus hourly uptime rows (merged into daily rows after 48 h, kept 30 days). Upstate
 * receives the raw results as they are, and each uptime row's remaining executions as results
 * spread evenly over its hour (or day) with the row's average response time, so Upstate's hourly
 * and daily rollups hold the same counts Gatus computed its uptime from.
 * @module
 */
import Database from 'better-sqlite3';
import type { CustomTypesConfig } from 'pg';
import type { CheckResult } from '../../domain/result.ts';
import { classifyMessage } from '../classify-message.ts';
import type { HistorySeries } from '../import-history.ts';
import { ImportInputError } from '../import-input-error.ts';
import { gatusKey } from './import-gatus.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

interface ResultRow { success: number | boolean; errors: string | null; status: number | null; duration: number | null; timestamp: string | number }
interface UptimeRow { hour_unix_timestamp: number; total_executions: number; successful_executions: number; total_response_time: number }

/** Rows of a query; the SQLite reader below, or a PostgreSQL one with the same SQL. */
export type RowSource = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** A read-only SQLite row source for a Gatus storage file. */
export function openGatusSqlite(file: string): { rows: RowSource; close(): void } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT endpoint_id FROM endpoints LIMIT 1').all();
    db.prepare('SELECT hour_unix_timestamp FROM endpoint_uptimes LIMIT 1').all();
  } catch (cause) {
    throw new ImportInputError(file, `not a Gatus SQLite storage file: ${(cause as Error).message}`, { cause });
  }
  // the shared SQL uses PostgreSQL's $1 placeholders, each once and in order: plain ? for SQLite
  return { rows: async (sql, params) => db.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as Record<string, unknown>[], close: () => db.close() };
}

/** Gatus's TIMESTAMP as SQLite text (`2026-01-10 09:00:00+00:00`) or PostgreSQL text (`2026-01-10 09:00:00`), both UTC. */
function readTime(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value).trim().replace(' ', 'T').replace(/ ?\+00:00$|Z$/, '');
  return Date.parse(`${text.replace(/ ([+-]\d\d:?\d\d)$/, '$1')}${/[+-]\d\d:?\d\d$/.test(text) ? '' : 'Z'}`);
}

/** One series per configured endpoint found in storage. */
export async function readGatusHistory(rows: RowSource, checkNames: ReadonlyMap<string, string>): Promise<HistorySeries[]> {
  const series: HistorySeries[] = [];
  for (const endpoint of await rows('SELECT endpoint_id, endpoint_name, endpoint_group FROM endpoints ORDER BY endpoint_id', [])) {
    const check = checkNames.get(gatusKey(String(endpoint.endpoint_group ?? ''), String(endpoint.endpoint_name)));
    if (!check) continue;
    const raw = (await rows('SELECT success, errors, status, duration, timestamp FROM endpoint_results WHERE endpoint_id = $1 ORDER BY timestamp', [endpoint.endpoint_id])) as unknown as ResultRow[];
    const results: CheckResult[] = raw.map((r) => {
      const ok = r.success === true || r.success === 1;
      const result: CheckResult = { check, at: readTime(r.timestamp), status: ok ? 'up' : 'down', latencyMs: Math.round(Number(r.duration ?? 0) / 1e6) };
      if (r.status) result.statusCode = Number(r.status);
      if (!ok) {
        const message = (r.errors ?? '').split('|~|').filter(Boolean).join('; ').slice(0, 500) || 'condition failed';
        result.failure = { class: classifyMessage(message), message };
      }
      return result;
    });
    const uptimes = (await rows('SELECT hour_unix_timestamp, total_executions, successful_executions, total_response_time FROM endpoint_uptimes WHERE endpoint_id = $1 ORDER BY hour_unix_timestamp', [endpoint.endpoint_id])) as unknown as UptimeRow[];
    uptimes.forEach((u, i) => {
      const start = Number(u.hour_unix_timestamp) * 1000;
      const next = uptimes[i + 1] ? Number(uptimes[i + 1].hour_unix_timestamp) * 1000 : Number.POSITIVE_INFINITY;
      // rows older than 48 h are merged per day: a day-aligned row followed by a day's gap is a daily row
      const span = start % DAY === 0 && next - start >= DAY ? DAY : HOUR;
      const inside = results.filter((r) => r.at >= start && r.at < start + span);
      const total = Math.max(0, Number(u.total_executions) - inside.length);
      const ok = Math.min(total, Math.max(0, Number(u.successful_executions) - inside.filter((r) => r.status === 'up').length));
      const latency = Number(u.total_executions) > 0 ? Math.round(Number(u.total_response_time) / Number(u.total_executions)) : 0;
      for (let k = 0; k < total; k++) {
        // failures spread evenly among the synthetic results
        const failed = Math.floor(((k + 1) * (total - ok)) / total) > Math.floor((k * (total - ok)) / total);
        const at = start + Math.floor(((k + 0.5) * span) / total);
        results.push(failed
          ? { check, at, status: 'down', latencyMs: latency, failure: { class: 'status', message: 'failed (imported from Gatus uptime totals)' } }
          : { check, at, status: 'up', latencyMs: latency });
      }
    });
    results.sort((a, b) => a.at - b.at);
    series.push({ check, results });
  }
  return series;
}

/** A row source over Gatus's PostgreSQL storage (`storage.type: postgres`). */
export async function openGatusPostgres(url: string): Promise<{ rows: RowSource; close(): Promise<void> }> {
  const { default: pg } = await import('pg');
  // Gatus's TIMESTAMP columns (no time zone) hold UTC wall time; pg would read them as local time,
  // so they arrive as text and readTime takes them as UTC
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.TIMESTAMP ? (text: string) => text : pg.types.getTypeParser(oid, format)) };
  const client = new pg.Client({ connectionString: url, types: types as CustomTypesConfig });
  try {
    await client.connect();
    await client.query('SELECT endpoint_id FROM endpoints LIMIT 1');
  } catch (cause) {
    await client.end().catch(() => undefined);
    throw new ImportInputError(url.replace(/\/\/[^@/]*@/, '//…@'), `cannot read Gatus storage: ${(cause as Error).message}`, { cause });
  }
  return { rows: async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[], close: () => client.end() };
}
