/**
 * `upstate serve`: the embedded (or cluster) server — engine and web app in one process.
 * The mode is explicit (`--mode`, else the config's `mode:`, else embedded; `src/modes/serve-mode.ts`)
 * and a store that does not fit it exits 2. Start-up order matters: the config is validated and
 * the mode checked before the store is opened, so a bad setting exits 2 without touching stored
 * data. SIGTERM/SIGINT stop scheduling, let running checks
 * finish or time out, flush every result, close the store and exit 0.
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
  const common = { config, logger, port: options.port, host: options.host };
  const server = await startNodeServer(
    clusterStore ? { ...common, store: clusterStore, cluster: { owner, listenUrl: location.target } } : { ...common, store },
  );
  logger.info(
    { url: server.url, store: describeStoreLocation(location), checks: config.checks.length, mode: resolved.mode, instance: owner },
    'Upstate is serving',
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing running checks and flushing results');
      try {
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
