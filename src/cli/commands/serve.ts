/**
 * `upstate serve`: the embedded (or cluster) server — engine and web app in one process.
 * The mode is explicit (`--mode`, else the config's `mode:`, else embedded; `src/modes/serve-mode.ts`)
 * and a store that does not fit it exits 2. Start-up order matters: the config is validated and
 * the mode checked before the store is opened, so a bad setting exits 2 without touching stored
 * data. SIGTERM/SIGINT stop scheduling, let running checks
 * finish or time out, flush every result, close the store and exit 0. SIGHUP (and, with
 * `--watch`, a change of the file) reloads the config without a restart
 * (`runtime/node/config-reloader.ts`); `mode:` is the one config setting that needs a restart.
 * @module
 */
import { loadConfig } from '../../config/load-config.ts';
import { describeStoreLocation, openStore, resolveStoreLocation } from '../../storage/open-store.ts';
import { createLogger } from '../../runtime/node/logger.ts';
import { logFdLimits } from '../../kernel/fd-limits.ts';
import { startNodeServer } from '../../runtime/node/start-node-server.ts';
import { createInstanceId } from '../../cluster/instance-id.ts';
import { openClusterStore } from '../../cluster/open-cluster-store.ts';
import { resolveServeMode } from '../../modes/serve-mode.ts';
import { createMetrics } from '../../http/metrics.ts';
import { perCheckSeries } from '../../http/metrics-config.ts';
import { createConfigReloader, type ConfigReloader } from '../../runtime/node/config-reloader.ts';
import { watchConfigFile } from '../../runtime/node/config-watcher.ts';
import type { CommandIo } from '../command-io.ts';

export interface ServeOptions {
  config: string;
  port: number;
  host: string;
  data: string;
  store?: string;
  readUrl?: string;
  /** `--mode`: overrides the config's `mode:`. */
  mode?: string;
  logLevel?: string;
  /** `--watch`: reload the config when its file changes (SIGHUP always reloads). */
  watch?: boolean;
}

export async function serveCommand(options: ServeOptions, io: CommandIo): Promise<number> {
  const config = await loadConfig(options.config);
  const location = resolveStoreLocation(options);
  const resolved = resolveServeMode({ flag: options.mode, config, location, storeGiven: options.store !== undefined });
  if (!resolved.ok) {
    io.err(`upstate serve: ${resolved.error}`);
    return 2;
  }
  const logger = createLogger(options.logLevel);
  logFdLimits(logger);
  // cluster mode: any number of identical instances share the PostgreSQL store
  const owner = createInstanceId();
  const clustered = resolved.mode === 'cluster';
  const clusterStore = clustered
    ? await openClusterStore(location, owner, (error) => logger.warn({ err: error }, 'idle database connection lost'))
    : undefined;
  const store = clusterStore ?? (await openStore(location));
  await store.migrate();
  // decided at start: a reload that crosses the auto limit keeps the series it started with
  const metrics = createMetrics({ perCheck: perCheckSeries(config.metrics, config.checks.length) });
  let reloader: ConfigReloader | undefined;
  const health = () => ({ config: reloader?.health() });
  const common = { config, logger, port: options.port, host: options.host, metrics, health };
  const server = await startNodeServer(
    clusterStore ? { ...common, store: clusterStore, cluster: { owner, listenUrl: location.target } } : { ...common, store },
  );
  let stopping = false;
  let reloading: Promise<unknown> = Promise.resolve();
  const reload = (trigger: string) => {
    if (stopping || !reloader) return;
    reloading = reloader.reload(trigger);
  };
  reloader = createConfigReloader({
    file: options.config,
    initial: config,
    load: () => loadConfig(options.config),
    apply: (next) => server.reload(next),
    restartNeeded: (_running, next) => {
      // --mode wins over the file; otherwise a changed `mode:` cannot switch a running process
      const now = resolveServeMode({ flag: options.mode, config: next, location, storeGiven: options.store !== undefined });
      if (now.ok && now.mode === resolved.mode) return [];
      return [`mode (${resolved.mode} → ${now.ok ? now.mode : next.mode}: ${now.ok ? 'the store and schedule are chosen at start' : now.error})`];
    },
    logger: logger.child({ part: 'config' }),
    metrics,
    now: () => Date.now(),
  });
  const watcher = options.watch
    ? await watchConfigFile(options.config, () => reload('file change'), {
        onError: (error) => logger.warn({ err: error }, 'config watch: folder events unavailable; polling the file instead'),
      })
    : undefined;
  if (watcher) logger.info({ file: options.config }, 'watching the config file for changes');

  // SIGHUP is the reload signal (systemd ExecReload, `kill -HUP`); without a handler it would end
  // the process, so the handler stays (ignoring it) while stopping
  const onHangup = () => reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  logger.info(
    { url: server.url, store: describeStoreLocation(location), checks: config.checks.length, mode: resolved.mode, instance: owner },
    'Upstate is serving',
  );
  return new Promise<number>((resolve) => {
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      watcher?.close();
      logger.info({ signal }, 'stopping: finishing running checks and flushing results');
      try {
        // a reload in progress finishes first, so it never races the shutdown
        await reloading;
        await server.stop();
        await store.close();
        logger.info('stopped');
        resolve(0);
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
        resolve(1);
      }
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
