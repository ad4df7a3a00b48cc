/**
 * What both Lambda functions open once per cold start: the validated config, the DynamoDB store
 * on the stack's table, and a logger. AWS clients are made lazily from the SDK's default chain
 * (region, role credentials and endpoint overrides such as `AWS_ENDPOINT_URL_DYNAMODB` all come
 * from the environment the SDK already reads); callers may hand in their own.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { UpstateConfig } from '../../config/types.ts';
import type { Store } from '../../storage/store.ts';
import type { ProbeRegistry } from '../../probes/registry.ts';
import { createDynamoStore, type DynamoDocumentLike } from '../../storage/dynamodb/index.ts';
import { loadLambdaConfig, type LambdaEnv } from './load-lambda-config.ts';
import { createLambdaLogger, type LambdaLogger } from './lambda-logger.ts';
import type { AwsClientLike } from './secret-references.ts';

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
}

export interface LambdaRuntime {
  config: UpstateConfig;
  store: Store;
  logger: LambdaLogger;
  /** The bundled default theme, when the bundle carries one (undefined when run from source). */
  defaultThemeDir?: string;
}

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
    ssm: () => new SSMClient({}),
    secretsManager: () => new SecretsManagerClient({}),
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
    dynamo: options.clients?.dynamo ?? defaults.dynamo,
    ssm: once(options.clients?.ssm ?? defaults.ssm),
    secretsManager: once(options.clients?.secretsManager ?? defaults.secretsManager),
  };
  const logger = options.logger ?? createLambdaLogger(env.UPSTATE_LOG_LEVEL);
  const tableName = env.UPSTATE_TABLE_NAME;
  if (!tableName) throw new LambdaStartError('UPSTATE_TABLE_NAME is not set: the stack passes the DynamoDB table name in it');

  const config = await loadLambdaConfig({ env, bundleDir, clients, probes: options.probes });
  const store = createDynamoStore({ tableName, client: clients.dynamo, rawRetentionMs: config.retention.rawMs });
  const themeDir = join(bundleDir, 'templates', 'default');
  return { config, store, logger, defaultThemeDir: existsSync(join(themeDir, 'layout.njk')) ? themeDir : undefined };
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
