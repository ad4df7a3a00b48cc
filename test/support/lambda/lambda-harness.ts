/**
 * Shared set-up for the Lambda handler tests: a real dynalite, a table made from
 * `tableDefinition()` (through the store's own `migrate`), a temp folder standing in for the
 * bundle directory, the Lambda runtime a handler opens over them, and helpers to read the fixtures
 * and add a header to any event shape.
 * Not used in production.
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynalite, type LocalDynamo } from '../dynalite.ts';
import { createDynamoStore } from '../../../src/storage/dynamodb/index.ts';
import type { Store } from '../../../src/storage/store.ts';
import { openLambdaRuntime, type LambdaRuntime, type LambdaRuntimeOptions } from '../../../src/runtime/lambda/lambda-runtime.ts';
import type { LambdaEnv } from '../../../src/runtime/lambda/load-lambda-config.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'lambda');

/** A fixture event, freshly parsed so tests may change it. */
export async function fixture(name: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(join(FIXTURES, name), 'utf8'));
}

/** Sets a header on an event of any shape, in the map(s) that shape carries. */
export function withHeader(event: Record<string, any>, name: string, value: string): Record<string, any> {
  const copy = structuredClone(event);
  copy.headers = { ...(copy.headers ?? {}), [name]: value };
  if (copy.multiValueHeaders) copy.multiValueHeaders = { ...copy.multiValueHeaders, [name]: [value] };
  return copy;
}

export interface LambdaHarness {
  endpoint: string;
  tableName: string;
  /** Temp folder playing the bundle directory (config files go here). */
  dir: string;
  /** A document client on dynalite with dummy credentials (a new one per call). */
  client(): DynamoDBDocumentClient;
  /** A store on the harness table, closed by `stop()`. */
  store(): Store;
  /**
   * The Lambda runtime on the harness table and bundle folder, as a handler's `runtime` option
   * opens it: `env` over `UPSTATE_TABLE_NAME` and a silent log, `options.clients` over the dynalite client.
   */
  runtime(env?: LambdaEnv, options?: Omit<Partial<LambdaRuntimeOptions>, 'env'>): Promise<LambdaRuntime>;
  writeConfig(name: string, yaml: string): Promise<string>;
  stop(): Promise<void>;
}

let tables = 0;

/** Starts dynalite and creates the table. */
export async function startLambdaHarness(): Promise<LambdaHarness> {
  const dynamo: LocalDynamo = await startDynalite();
  const dir = await mkdtemp(join(tmpdir(), 'upstate-lambda-'));
  const tableName = `upstate-lambda-${process.pid}-${++tables}`;
  const client = () =>
    DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
  const stores: Store[] = [];
  const store = () => {
    const s = createDynamoStore({ tableName, client });
    stores.push(s);
    return s;
  };
  await store().migrate();
  return {
    endpoint: dynamo.endpoint,
    tableName,
    dir,
    client,
    store,
    runtime: (env = {}, options = {}) =>
      openLambdaRuntime({
        bundleDir: dir,
        ...options,
        env: { UPSTATE_TABLE_NAME: tableName, UPSTATE_LOG_LEVEL: 'silent', ...env },
        clients: { dynamo: client, ...options.clients },
      }),
    async writeConfig(name, yaml) {
      const path = join(dir, name);
      await writeFile(path, yaml);
      return path;
    },
    async stop() {
      for (const s of stores) await s.close();
      await dynamo.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
