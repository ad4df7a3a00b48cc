/**
 * dynalite in its own process for the Lambda benchmark, so its CPU is neither the checker's nor
 * the bench runner's: replies `ready` with the endpoint, then answers each `cpu` message with
 * the CPU this process has used so far (user + system, ms).
 * @module
 */
import { startDynalite } from '../../test/support/dynalite.ts';
import { exitWithParent, reply, runWorker, workerParams, type Message } from '../lib/child.ts';

/** The reply to `cpu`. */
export interface DynaliteCpu extends Message {
  cpuMs: number;
}

runWorker(async () => {
  await workerParams<Record<string, never>>();
  const dynamo = await startDynalite();
  process.on('message', (m) => {
    if ((m as Message).type !== 'cpu') return;
    const used = process.cpuUsage();
    reply({ type: 'cpu', cpuMs: (used.user + used.system) / 1000 } satisfies DynaliteCpu);
  });
  reply({ type: 'ready', endpoint: dynamo.endpoint });
  exitWithParent(() => dynamo.stop());
});
