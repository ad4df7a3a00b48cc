/**
 * `upstate check --config FILE`: runs every check once, prints a table (name, status, latency,
 * reason) and exits 1 when any check is down — for CI and cron. Stores nothing. Push
 * (heartbeat) checks are listed as skipped: only a running server receives their pings.
 * @module
 */
import { loadConfig } from '../../config/load-config.ts';
import { compileAllConditions } from '../../pipeline/run-due-checks.ts';
import { probes } from '../../probes/registry.ts';
import { runCheck } from '../../pipeline/run-check.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import type { CommandIo } from '../command-io.ts';

export async function checkCommand(options: { config: string; json?: boolean }, io: CommandIo): Promise<number> {
  const config = await loadConfig(options.config);
  const compiled = compileAllConditions(config.checks);
  const rows = await mapLimit(config.checks, config.scheduler.concurrency, async (check) => {
    if (check.kind === 'heartbeat') return { name: check.name, status: 'skipped', latency: '', reason: 'push check: pinged by the job, not probed' };
    const result = await runCheck(check, {
      probes,
      now: Date.now,
      conditionsOf: (c) => compiled.get(c.name) ?? [],
      lastHeartbeat: async () => undefined,
    });
    return {
      name: check.name,
      status: result.status,
      latency: `${Math.round(result.latencyMs)} ms`,
      reason: result.failure ? `${result.failure.class}: ${result.failure.message}` : '',
    };
  });
  if (options.json) io.out(JSON.stringify(rows, null, 2));
  else for (const line of formatTable(rows, ['name', 'status', 'latency', 'reason'])) io.out(line);
  const down = rows.filter((row) => row.status === 'down').length;
  if (!options.json) io.out(`\n${rows.length} checks, ${down} down`);
  return down > 0 ? 1 : 0;
}

function formatTable<T extends Record<string, string>>(rows: T[], columns: (keyof T & string)[]): string[] {
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((row) => line(columns.map((c) => row[c])))];
}
