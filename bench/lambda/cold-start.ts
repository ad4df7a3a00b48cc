/**
 * Cold start of the packaged Lambda functions (`npm run package:aws` first): for each bundle, a
 * fresh `node` imports the handler module (init) and answers one event (first invocation) — the
 * page function a REST API request for `/`, the checker a scheduled event — against a table on
 * dynalite. Prints both as CPU time of that process (user + system), which unlike wall time does
 * not depend on what else the machine is doing, plus the zip sizes.
 *
 *   node bench/lambda/cold-start.ts [build/aws] [runs, default 3]
 * @module
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynalite } from '../../test/support/dynalite.ts';
import { createDynamoStore } from '../../src/storage/dynamodb/index.ts';

const out = resolve(process.argv[2] ?? 'build/aws');
const RUNS = Math.max(1, Number(process.argv[3] ?? 3));
const ROOT = resolve(import.meta.dirname, '..', '..');
const event = (name: string) => readFileSync(join(ROOT, 'test/fixtures/lambda', name), 'utf8');

/** Runs in the child: import (init), then one invocation; prints CPU ms of each. */
const CHILD = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpu();
const { handler } = await import(process.env.HANDLER_FILE);
const t1 = cpu();
const context = { awsRequestId: 'cold', getRemainingTimeInMillis: () => 55000 };
const result = await handler(JSON.parse(process.env.EVENT), context);
const t2 = cpu();
console.log(JSON.stringify({ initCpuMs: t1 - t0, firstInvocationCpuMs: t2 - t1, status: result.statusCode ?? result.checked }));
process.exit(0);
`;

const dynamo = await startDynalite();
try {
  const tableName = 'upstate-cold';
  const store = createDynamoStore({
    tableName,
    client: () => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } })),
  });
  await store.migrate();
  await store.close();
  for (const [name, file, fixture] of [
    ['checker', 'checker-handler.mjs', 'scheduled-event.json'],
    ['web', 'web-handler.mjs', 'rest-v1-root.json'],
  ] as const) {
    const runs: { initCpuMs: number; firstInvocationCpuMs: number; status: unknown }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // async: dynalite runs in this process and must keep answering
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD], {
          env: {
            PATH: process.env.PATH,
            HANDLER_FILE: join(out, name, file),
            EVENT: event(fixture),
            UPSTATE_TABLE_NAME: tableName,
            UPSTATE_LOG_LEVEL: 'silent',
            AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'l',
            AWS_SECRET_ACCESS_KEY: 'l',
          },
        encoding: 'utf8',
      });
      runs.push(JSON.parse(stdout));
    }
    const median = (key: 'initCpuMs' | 'firstInvocationCpuMs') => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
    const zipKiB = statSync(join(out, `${name}.zip`)).size / 1024;
    console.log(`${name.padEnd(8)} zip ${zipKiB.toFixed(1)} KiB   init CPU ${median('initCpuMs').toFixed(0)} ms   first invocation CPU ${median('firstInvocationCpuMs').toFixed(0)} ms   (median of ${RUNS}; answer ${runs[0].status})`);
  }
} finally {
  await dynamo.stop();
}
