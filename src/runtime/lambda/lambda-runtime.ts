/**
 * What both Lambda functions open once per cold start: the validated config, the DynamoDB store
 * on the stack's table, and a logger. A warm container re-reads its secrets and config parameter
 * at most every `UPSTATE_REFRESH_SECONDS` (default 60; `refresh()`), so a rotated secret or a
 * changed config reaches it without a cold start. AWS clients are made lazily from the SDK's default chain
 * (region, role credentials and endpoint overrides such as `AWS_ENDPOINT_URL_DYNAMODB` all come
 * from the environment the SDK already reads); callers may hand in their own.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UpstateConfig } from '../../config/types.ts';
import type { Store } from '../../storage/store.ts';
import type { ProbeRegistry } from '../../probes/registry.ts';
import { createDynamoStore, type DynamoDocumentLike } from '../../storage/dynamodb/index.ts';
import { buildLambdaConfig, readLambdaSources, type LambdaConfigOptions, type LambdaEnv } from './load-lambda-config.ts';
import { createLambdaLogger, type LambdaLogger } from './lambda-logger.ts';
import { lazyAwsClient, type AwsClientLike } from './secret-references.ts';

/** Factories for the AWS clients; each is called at most once per runtime. */
interface AwsClients {
  dynamo(): DynamoDocumentLike;
  ssm(): AwsClientLike;
  secretsManager(): AwsClientLike;
}

export interface LambdaRuntimeOptions {
  env: LambdaEnv;
  /** Folder holding the deployed handler, its config file and `templates/default`. */
  bundleDir: string;
  clients?: Partial<AwsClients>;
  logger?: LambdaLogger;
  probes?: ProbeRegistry;
  /** Time for the refresh period (tests drive it by hand). */
  now?: () => number;
}

export interface LambdaRuntime {
  config: UpstateConfig;
  store: Store;
  logger: LambdaLogger;
  /** The bundled default theme, when the bundle carries one (undefined when run from source). */
  defaultThemeDir?: string;
  /**
   * Re-reads the secrets and the config parameter when the refresh period has passed since the
   * last read. Resolves to the new config (also set as `config`) when they changed, else to
   * undefined. A failed read or an invalid new config is logged and the current config kept, so a
   * bad edit never takes a running function down.
   */
  refresh(): Promise<UpstateConfig | undefined>;
  /** A store on the same table whose schedule is a checker shard's own partition (made once per shard). */
  storeForShard(shard: string): Store;
}

/** Default refresh period of secrets and config in a warm container. */
const DEFAULT_REFRESH_SECONDS = 60;

/** The function was deployed without something it cannot start without. */
export class LambdaStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaStartError';
  }
}

/** SDK clients from the default provider chain, built on first use. */
function defaultAwsClients(): AwsClients {
  return {
    dynamo: () => DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    // loaded on first use: most cold starts read no secret
    ssm: () => lazyAwsClient(async () => new (await import('@aws-sdk/client-ssm')).SSMClient({})),
    secretsManager: () => lazyAwsClient(async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({})),
  };
}

/** Memoises a factory so a client is made once and only if needed. */
function once<T>(factory: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= factory());
}

/** Loads config and opens the store. Throws on a bad config or a missing table name. */
export async function openLambdaRuntime(options: LambdaRuntimeOptions): Promise<LambdaRuntime> {
  const { env, bundleDir } = options;
  const defaults = defaultAwsClients();
  const clients: AwsClients = {
    dynamo: once(options.clients?.dynamo ?? defaults.dynamo),
    ssm: once(options.clients?.ssm ?? defaults.ssm),
    secretsManager: once(options.clients?.secretsManager ?? defaults.secretsManager),
  };
  const logger = options.logger ?? createLambdaLogger(env.UPSTATE_LOG_LEVEL);
  const tableName = env.UPSTATE_TABLE_NAME;
  if (!tableName) throw new LambdaStartError('UPSTATE_TABLE_NAME is not set: the stack passes the DynamoDB table name in it');

  const refreshMs = refreshPeriodMs(env.UPSTATE_REFRESH_SECONDS);
  const now = options.now ?? Date.now;
  const configOptions: LambdaConfigOptions = { env, bundleDir, clients, probes: options.probes };
  let sources = await readLambdaSources(configOptions);
  let readAt = now();
  const config = await buildLambdaConfig(configOptions, sources);
  const store = createDynamoStore({ tableName, client: clients.dynamo, rawRetentionMs: config.retention.rawMs });
  const themeDir = join(bundleDir, 'templates', 'default');
  let pending: Promise<UpstateConfig | undefined> | undefined;
  const shardStores = new Map<string, Store>();

  const reread = async (): Promise<UpstateConfig | undefined> => {
    try {
      const next = await readLambdaSources(configOptions);
      if (next.fingerprint === sources.fingerprint) return undefined;
      const nextConfig = await buildLambdaConfig(configOptions, next);
      sources = next;
      runtime.config = nextConfig;
      logger.info({ fingerprint: next.fingerprint.slice(0, 12) }, 'secrets or config changed: applied');
      return nextConfig;
    } catch (error) {
      logger.error({ err: error }, 'refreshing secrets and config failed; keeping the current ones');
      return undefined;
    }
  };
  const runtime: LambdaRuntime = {
    config,
    store,
    logger,
    defaultThemeDir: existsSync(join(themeDir, 'layout.njk')) ? themeDir : undefined,
    storeForShard(shard) {
      let shardStore = shardStores.get(shard);
      if (!shardStore) {
        // the same client as the main store (`dynamo` is called once): closing it is the main store's job
        const client = clients.dynamo();
        shardStore = createDynamoStore({ tableName, client, rawRetentionMs: runtime.config.retention.rawMs, scheduleShard: shard });
        shardStores.set(shard, shardStore);
      }
      return shardStore;
    },
    refresh() {
      if (pending) return pending;
      if (now() - readAt < refreshMs) return Promise.resolve(undefined);
      readAt = now();
      pending = reread().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
  return runtime;
}

/** True when the environment makes this checker a probe region (the template sets `UPSTATE_PRIMARY_URL`). */
export function isProbeRegion(env: LambdaEnv): boolean {
  return !!env.UPSTATE_PRIMARY_URL;
}

/** `UPSTATE_REFRESH_SECONDS`: a whole number of seconds ≥ 0 (0 re-reads on every invocation). */
export function refreshPeriodMs(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_REFRESH_SECONDS * 1000;
  if (!/^\d+$/.test(text)) throw new LambdaStartError(`UPSTATE_REFRESH_SECONDS must be a whole number of seconds, got "${text}"`);
  return Number(text) * 1000;
}

/**
 * Runs `open` once per container: concurrent first invocations share one attempt, and a failed
 * attempt is forgotten so the next invocation retries instead of failing forever.
 */
export function coldStart<T>(open: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= open().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
