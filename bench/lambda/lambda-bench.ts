/**
 * Benchmark — the serverless checker at scale: N checks (1,000 by default) in one checker
 * invocation against dynalite and a local target. Reports the invocation's duration and CPU,
 * DynamoDB requests per check by command, and the JSON bytes written per check; the cold start
 * (config, store, schedule sync) is reported separately. dynalite and the target each run in
 * their own process, so the checker's CPU is Upstate's alone; dynalite's CPU per phase is read
 * at the phase's edges and reported beside it (with its CPU per request). dynalite is far slower
 * than DynamoDB (~ms of CPU per request on one core), so the duration here is an upper bound.
 * @module
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startWorker } from '../lib/child.ts';
import { numberOption, profileArgs, type Bench, type Row } from '../lib/bench.ts';
import { round } from '../lib/stats.ts';
import { createDynamoStore } from '../../src/storage/dynamodb/index.ts';
import type { LambdaCheckerParams, LambdaCheckerReport, PhaseFigures } from './lambda-checker-worker.ts';
import type { DynaliteCpu } from './dynalite-worker.ts';

const requestRows = (label: string, figures: PhaseFigures, perCheck: number): Row[] =>
  Object.entries(figures.requests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => ({ metric: `${label}: ${operation}`, value: `${count}`, note: perCheck ? `${round(count / perCheck, 3)} per check` : undefined }));

export const lambdaBench: Bench = async (options) => {
  const checks = numberOption(options, 'lambda-checks', options.quick ? 200 : 1000);
  const dynamo = await startWorker(new URL('./dynalite-worker.ts', import.meta.url), {});
  const target = await startWorker(new URL('../checker/target-server.ts', import.meta.url), {});
  try {
    const { port } = await target.next<{ type: string; port: number }>('ready', 10_000);
    const { endpoint } = await dynamo.next<{ type: string; endpoint: string }>('ready', 10_000);
    const dynaliteCpu = async () => {
      dynamo.send({ type: 'cpu' });
      return (await dynamo.next<DynaliteCpu>('cpu', 10_000)).cpuMs;
    };
    const setup = createDynamoStore({
      tableName: 'upstate-bench',
      client: () => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } })),
    });
    await setup.migrate();
    await setup.close();
    options.log(`lambda: ${checks} checks in one checker invocation (dynalite at ${endpoint})`);
    const params: LambdaCheckerParams = { checks, dynamoEndpoint: endpoint, targetPort: port, dir: mkdtempSync(join(options.tmpDir, 'lambda-')) };
    const worker = await startWorker(new URL('./lambda-checker-worker.ts', import.meta.url), params, { execArgv: profileArgs(options, 'lambda-checker') });
    let report: LambdaCheckerReport;
    /** dynalite's CPU at each phase edge (start and end of: cold start, round, second container's cold start). */
    const edges: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        await worker.next('mark', 600_000);
        edges.push(await dynaliteCpu());
        worker.send({ type: 'marked' });
      }
      report = await worker.next<LambdaCheckerReport>('result', 600_000);
    } finally {
      await worker.close();
    }
    const { cold, warm, rewarm } = report;
    const total = Object.values(warm.requests).reduce((a, b) => a + b, 0);
    const dynaliteWarmMs = edges[3] - edges[2];
    const rows: Row[] = [
      { metric: 'checks in the invocation', value: `${warm.checked}`, note: `of ${checks} configured; ${warm.notStarted} not started` },
      { metric: 'invocation duration', value: `${round(warm.durationMs / 1000, 2)} s`, note: 'dynalite; real DynamoDB answers faster' },
      { metric: 'invocation CPU (checker)', value: `${round(warm.cpuMs)} ms`, note: `${round(warm.cpuMs / checks, 2)} ms per check, ${round(warm.cpuMs / Math.max(1, total), 2)} ms per request` },
      { metric: 'dynalite CPU in the round', value: `${round(dynaliteWarmMs)} ms`, note: `${round(dynaliteWarmMs / Math.max(1, total), 2)} ms per request (its own process)` },
      { metric: 'DynamoDB requests', value: `${total}`, note: `${round(total / checks, 2)} per check` },
      ...requestRows('round', warm, checks),
      { metric: 'write request bytes', value: `${Math.round(warm.writeBytes / 1024)} KiB`, note: `${Math.round(warm.writeBytes / checks)} B per check (request bodies)` },
      { metric: 'cold start: module load CPU', value: `${round(report.loadCpuMs)} ms` },
      { metric: 'cold start: first invocation', value: `${round(cold.durationMs / 1000, 2)} s`, note: `CPU ${round(cold.cpuMs)} ms (config + schedule sync of ${checks} checks)` },
      { metric: 'cold start: dynalite CPU', value: `${round(edges[1] - edges[0])} ms` },
      ...requestRows('cold', cold, 0),
      { metric: 'second container cold start', value: `${round(rewarm.durationMs / 1000, 2)} s`, note: `CPU ${round(rewarm.cpuMs)} ms, dynalite ${round(edges[5] - edges[4])} ms; same config, table already set up` },
      ...requestRows('cold again', rewarm, 0),
      { metric: 'peak RSS', value: `${Math.round(report.peakRssBytes / 1024 / 1024)} MB` },
    ];
    return {
      name: 'lambda',
      rows,
      bars: [
        { bar: `${checks} checks in one 55 s checker invocation`, measured: `${warm.checked} in ${round(warm.durationMs / 1000, 1)} s`, met: warm.checked === checks && warm.notStarted === 0 && warm.durationMs < 55_000 },
      ],
      data: { checks, report, dynaliteCpuMs: { cold: edges[1] - edges[0], warm: dynaliteWarmMs, rewarm: edges[5] - edges[4] } },
    };
  } finally {
    await target.close();
    await dynamo.close();
  }
};
