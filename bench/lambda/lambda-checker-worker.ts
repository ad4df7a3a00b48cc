/**
 * The measured process of the Lambda checker benchmark: the real checker handler (cold start,
 * then one round with every check due) on a DynamoDB endpoint (dynalite, run by the parent so
 * its CPU does not count here), probing a local target. Counts every DynamoDB request by command
 * and the JSON bytes of the write requests, and this process's CPU per phase.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCheckerHandler } from '../../src/runtime/lambda/checker-handler.ts';
import { openLambdaRuntime } from '../../src/runtime/lambda/lambda-runtime.ts';
import { exitWithParent, reply, runWorker, workerParams, type Message } from '../lib/child.ts';

export interface LambdaCheckerParams {
  checks: number;
  dynamoEndpoint: string;
  targetPort: number;
  dir: string;
}

/** Requests and write bytes of one phase. */
export interface PhaseFigures {
  durationMs: number;
  cpuMs: number;
  requests: Record<string, number>;
  writeBytes: number;
  checked: number;
  notStarted: number;
}

export interface LambdaCheckerReport extends Message {
  loadCpuMs: number;
  cold: PhaseFigures;
  warm: PhaseFigures;
  peakRssBytes: number;
}

const WRITES = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'BatchWriteCommand']);

runWorker(async () => {
  const loadCpu = process.cpuUsage();
  const params = await workerParams<LambdaCheckerParams>();
  const checks = Array.from(
    { length: params.checks },
    (_, i) => `  - name: check-${i}\n    interval: 60s\n    timeout: 5s\n    http:\n      url: http://127.0.0.1:${params.targetPort}/c${i}\n`,
  ).join('');
  writeFileSync(join(params.dir, 'upstate.yaml'), `scheduler:\n  concurrency: 200\nchecks:\n${checks}`);

  let requests: Record<string, number> = {};
  let writeBytes = 0;
  const inner = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: params.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const client = {
    send(command: { constructor: { name: string }; input: unknown }) {
      const name = command.constructor.name;
      requests[name] = (requests[name] ?? 0) + 1;
      if (WRITES.has(name)) writeBytes += Buffer.byteLength(JSON.stringify(command.input));
      return inner.send(command as never);
    },
  };
  let offset = 0;
  const now = () => Date.now() + offset;
  const handler = createCheckerHandler({
    owner: 'bench',
    now,
    runtime: () => openLambdaRuntime({ env: { UPSTATE_TABLE_NAME: 'upstate-bench', UPSTATE_LOG_LEVEL: 'silent' }, bundleDir: params.dir, clients: { dynamo: () => client } }),
  });
  // room for the whole round even on a slow dynalite: the duration is measured against 55 s instead
  const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 600_000 };

  const phase = async (): Promise<PhaseFigures> => {
    requests = {};
    writeBytes = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const summary = await handler({}, context);
    const used = process.cpuUsage(cpu);
    return { durationMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, requests, writeBytes, checked: summary.checked, notStarted: summary.notStarted };
  };
  const loaded = process.cpuUsage(loadCpu);
  const cold = await phase(); // config, store, schedule sync; nothing is due yet
  offset += 61_000; // one interval later every check is due
  const warm = await phase();
  reply({ type: 'result', loadCpuMs: (loaded.user + loaded.system) / 1000, cold, warm, peakRssBytes: process.resourceUsage().maxRSS * 1024 } satisfies LambdaCheckerReport);
  exitWithParent(() => handler.close());
});
