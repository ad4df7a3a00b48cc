/**
 * The measured process of the Lambda checker benchmark: the real checker handler (cold start,
 * then one round with every check due) on a DynamoDB endpoint (dynalite, in its own process so
 * its CPU does not count here), probing a local target. An SDK middleware counts every HTTP
 * request DynamoDB receives (retries included) by operation and the body bytes of the write
 * requests; this process's CPU per phase. Around each phase it waits for the parent's `marked`,
 * so the parent can read dynalite's CPU at the phase's edges.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCheckerHandler } from '../../src/runtime/lambda/checker-handler.ts';
import { openLambdaRuntime } from '../../src/runtime/lambda/lambda-runtime.ts';
import { exitWithParent, received, reply, runWorker, workerParams, type Message } from '../lib/child.ts';

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
  /** HTTP requests sent to DynamoDB by operation (`PutItem`, …), retries included. */
  requests: Record<string, number>;
  /** Body bytes of the write requests (PutItem, UpdateItem, DeleteItem, BatchWriteItem). */
  writeBytes: number;
  checked: number;
  notStarted: number;
}

export interface LambdaCheckerReport extends Message {
  loadCpuMs: number;
  cold: PhaseFigures;
  warm: PhaseFigures;
  /** A second container's cold start on the table the first one set up (the usual cold start). */
  rewarm: PhaseFigures;
  peakRssBytes: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

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
  const low = new DynamoDBClient({ endpoint: params.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
  // after the retry middleware (finalizeRequest, low priority): runs once per HTTP attempt
  low.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      requests[operation] = (requests[operation] ?? 0) + 1;
      const body = (args.request as { body?: unknown }).body;
      if (WRITES.has(operation)) writeBytes += typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'benchRequestCounter' },
  );
  const client = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  let offset = 0;
  const now = () => Date.now() + offset;
  const newHandler = (owner: string) =>
    createCheckerHandler({
      owner,
      now,
      runtime: () => openLambdaRuntime({ env: { UPSTATE_TABLE_NAME: 'upstate-bench', UPSTATE_LOG_LEVEL: 'silent' }, bundleDir: params.dir, clients: { dynamo: () => client } }),
    });
  const handler = newHandler('bench');
  // room for the whole round even on a slow dynalite: the duration is measured against 55 s instead
  const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 600_000 };

  /** Lets the parent read dynalite's CPU before going on. */
  const mark = async () => {
    const ack = received('marked');
    reply({ type: 'mark' });
    await ack;
  };
  const phase = async (invoke = handler): Promise<PhaseFigures> => {
    await mark();
    requests = {};
    writeBytes = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const summary = await invoke({}, context);
    const used = process.cpuUsage(cpu);
    const durationMs = performance.now() - started;
    await mark();
    return { durationMs, cpuMs: (used.user + used.system) / 1000, requests, writeBytes, checked: summary.checked, notStarted: summary.notStarted };
  };
  const loaded = process.cpuUsage(loadCpu);
  const cold = await phase(); // config, store, schedule sync on a new table; nothing is due yet
  offset += 61_000; // one interval later every check is due
  const warm = await phase();
  // another container's cold start on the now existing table, same config, a few seconds on
  offset += 5_000;
  const second = newHandler('bench-2');
  const rewarm = await phase(second);
  reply({ type: 'result', loadCpuMs: (loaded.user + loaded.system) / 1000, cold, warm, rewarm, peakRssBytes: process.resourceUsage().maxRSS * 1024 } satisfies LambdaCheckerReport);
  exitWithParent(async () => {
    await second.close();
    await handler.close();
  });
});
