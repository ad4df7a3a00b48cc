/**
 * `upstate check --config FILE`: runs every check once, prints a table (name, status, latency,
 * reason) and exits 1 when any check is down or its run failed — for CI and cron. Stores
 * nothing (the check mode: the engine with a memory state authority). Push (heartbeat) checks
 * are listed as skipped: only a running server receives their pings.
 * @module
 */
import { loadConfig } from '../../config/load-config.ts';
import { probes as defaultProbes, type ProbeRegistry } from '../../probes/registry.ts';
import { runChecksOnce } from '../../modes/check-mode.ts';
import type { CommandIo } from '../command-io.ts';

export async function checkCommand(
  options: { config: string; json?: boolean; probes?: ProbeRegistry },
  io: CommandIo,
): Promise<number> {
  const probes = options.probes ?? defaultProbes;
  const config = await loadConfig(options.config, { probes });
  // a run that throws (a bug, not a failing target) is shown in its row with the reason
  const failures = new Map<string, string>();
  const logger = {
    error(details: object) {
      const { check, reason } = details as { check?: string; reason?: string };
      if (check) failures.set(check, reason ?? 'unknown error');
      else io.err(`upstate check: ${reason ?? JSON.stringify(details)}`);
    },
  };
  const outcomes = await runChecksOnce({ config, probes, logger });
  const rows = outcomes.map((outcome) => {
    const name = outcome.check.name;
    if ('skipped' in outcome) return { name, status: 'skipped', latency: '', reason: outcome.skipped };
    if ('failed' in outcome) return { name, status: 'error', latency: '', reason: `run failed: ${failures.get(name) ?? 'unknown error'}` };
    const { result } = outcome;
    return {
      name,
      status: result.status,
      latency: `${Math.round(result.latencyMs)} ms`,
      reason: result.failure ? `${result.failure.class}: ${result.failure.message}` : '',
    };
  });
  if (options.json) io.out(JSON.stringify(rows, null, 2));
  else for (const line of formatTable(rows, ['name', 'status', 'latency', 'reason'])) io.out(line);
  const down = rows.filter((row) => row.status === 'down').length;
  const failed = rows.filter((row) => row.status === 'error').length;
  if (!options.json) io.out(`\n${rows.length} checks, ${down} down${failed ? `, ${failed} failed to run` : ''}`);
  return down + failed > 0 ? 1 : 0;
}

function formatTable<T extends Record<string, string>>(rows: T[], columns: (keyof T & string)[]): string[] {
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((row) => line(columns.map((c) => row[c])))];
}
