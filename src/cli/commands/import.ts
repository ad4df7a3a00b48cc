/**
 * `upstate import <uptime-kuma|gatus> <source>`: reads the source, writes the Upstate config
 * (validated with the real loader before it is written), optionally writes the secrets to an env
 * file, imports history into the store, and prints the summary.
 * Exit codes: 0 the config is usable; 2 the input (or a usage) is unusable, naming the problem.
 * @module
 */
import { chmodSync, existsSync, openSync, readSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIo } from '../command-io.ts';
import { ConfigError, formatIssue } from '../../config/config-error.ts';
import { parseConfig } from '../../config/load-config.ts';
import { DEFAULT_RETENTION } from '../../config/config-schema.ts';
import { openStore, resolveStoreLocation } from '../../storage/open-store.ts';
import { emitYaml } from '../../import/emit-yaml.ts';
import { importHistory, type HistorySeries } from '../../import/import-history.ts';
import { ImportInputError } from '../../import/import-input-error.ts';
import type { ImportPlan } from '../../import/import-plan.ts';
import { formatReport } from '../../import/import-report.ts';
import { importKuma } from '../../import/kuma/import-kuma.ts';
import { readKumaBackup } from '../../import/kuma/read-kuma-backup.ts';
import { openKumaDatabase, readKumaSqlite, type KumaDatabase } from '../../import/kuma/read-kuma-sqlite.ts';
import { readKumaHistory } from '../../import/kuma/kuma-history.ts';
import { importGatus, parseGatusConfig } from '../../import/gatus/import-gatus.ts';
import { openGatusPostgres, openGatusSqlite, readGatusHistory } from '../../import/gatus/gatus-history.ts';

export const IMPORT_USAGE = `Usage: upstate import <uptime-kuma|gatus> <source> [options]

  uptime-kuma <kuma.db | backup.json>   an Uptime Kuma 1.23/2.x database or a 1.x JSON backup
  gatus <config.yaml>                   a Gatus config (history from its storage: section)

Options:
  --out FILE            config to write (default: upstate.yaml)
  --env-out FILE        also write the secrets as NAME=value lines (mode 0600)
  --history             import heartbeats/results into the store (idempotent)
  --history-from SRC    Gatus only: storage file or postgres:// URL (default: the config's storage:)
  --data DIR | --store FILE|postgres://…   the store to import into (default: ./data/upstate.db)
  --now ISO             treat this instant as now (history windows, retention)`;

/** Runs the command; `argv` starts after `import`. */
export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'upstate.yaml' },
        // not --env-file: Node itself reads that flag anywhere on its command line
        'env-out': { type: 'string' },
        history: { type: 'boolean', default: false },
        'history-from': { type: 'string' },
        data: { type: 'string', default: './data' },
        store: { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.out(IMPORT_USAGE);
    return 0;
  }
  const [from, source] = positionals;
  if ((from !== 'uptime-kuma' && from !== 'gatus') || !source || positionals.length > 2) {
    io.err(IMPORT_USAGE);
    return 2;
  }
  const now = values.now ? Date.parse(values.now) : Date.now();
  if (!Number.isFinite(now)) {
    io.err(`--now must be an ISO-8601 instant (got ${values.now})`);
    return 2;
  }
  const cleanups: (() => unknown)[] = [];
  try {
    if (!existsSync(source)) throw new ImportInputError(source, 'file not found');
    let plan: ImportPlan;
    let loadHistory: (() => Promise<HistorySeries[]>) | undefined;
    if (from === 'uptime-kuma') {
      let db: KumaDatabase | undefined;
      const snapshot = isSqlite(source) ? readKumaSqlite((db = openKumaDatabase(source))) : readKumaBackup(readFileSync(source, 'utf8'), source);
      if (db) cleanups.push(() => db.close());
      const imported = importKuma(snapshot, source);
      plan = imported.plan;
      if (db) loadHistory = async () => readKumaHistory(db, imported.checkNames);
      else if (values.history) plan.report.notes.push('--history: a JSON backup has no heartbeats; nothing imported');
    } else {
      const imported = importGatus(parseGatusConfig(readFileSync(source, 'utf8'), source), source);
      plan = imported.plan;
      const storage = values['history-from'] ?? imported.storage?.path;
      const type = values['history-from'] ? (/^postgres(ql)?:\/\//.test(storage!) ? 'postgres' : 'sqlite') : imported.storage?.type;
      if (storage && (type === 'sqlite' || type === 'postgres')) {
        loadHistory = async () => {
          if (type === 'postgres') {
            const pgSource = await openGatusPostgres(storage);
            cleanups.push(() => pgSource.close());
            return readGatusHistory(pgSource.rows, imported.checkNames);
          }
          const file = isAbsolute(storage) || values['history-from'] ? storage : resolve(dirname(source), storage);
          const sqlite = openGatusSqlite(file);
          cleanups.push(() => sqlite.close());
          return readGatusHistory(sqlite.rows, imported.checkNames);
        };
      } else if (values.history) plan.report.notes.push('--history: the Gatus config has no sqlite/postgres storage (give --history-from); nothing imported');
    }

    const text = emitYaml(plan);
    const secrets = plan.secrets.entries();
    const env: Record<string, string | undefined> = { ...process.env };
    for (const s of secrets) if (s.value !== undefined) env[s.name] = s.value;
    const missing = secrets.filter((s) => s.value === undefined && env[s.name] === undefined).map((s) => s.name);
    let config;
    if (!missing.length) {
      // the written file must load: a failure here is an importer bug, reported as such
      config = parseConfig(text, resolve(values.out!), { env });
    }
    writeFileSync(values.out!, text);
    if (values['env-out']) {
      writeFileSync(values['env-out'], secrets.filter((s) => s.value !== undefined).map((s) => `${s.name}=${shellQuote(s.value!)}\n`).join(''), { mode: 0o600 });
      chmodSync(values['env-out'], 0o600);
    }
    io.out(`wrote ${values.out}${values['env-out'] ? ` and ${values['env-out']}` : ''}`);
    for (const line of formatReport(plan.report, secrets.map((s) => s.name))) io.out(line);
    if (missing.length) io.out(`(not validated: set ${missing.join(', ')} and run \`upstate validate --config ${values.out}\`)`);
    else io.out(`validated: ${config!.checks.length} checks`);

    if (values.history && loadHistory) {
      const series = await loadHistory();
      const store = await openStore(resolveStoreLocation({ store: values.store, data: values.data }));
      cleanups.push(() => store.close());
      await store.migrate();
      const retention = config?.retention ?? { rawMs: DEFAULT_RETENTION.raw, hourlyMs: DEFAULT_RETENTION.hourly, dailyMs: DEFAULT_RETENTION.daily };
      const result = await importHistory(store, series, { now, retention });
      const written = Object.values(result.written).reduce((a, b) => a + b, 0);
      const present = Object.values(result.alreadyPresent).reduce((a, b) => a + b, 0);
      io.out(`history: ${written} results written for ${series.length} checks${present ? `; ${present} already in the store were skipped` : ''}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportInputError) {
      io.err(`upstate import: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      for (const issue of error.issues) io.err(formatIssue(issue));
      io.err('upstate import: the generated config does not validate (an importer bug); nothing was written');
      return 1;
    }
    throw error;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** True when the file starts with SQLite's header. */
function isSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
