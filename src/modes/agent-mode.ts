/**
 * Agent mode (`upstate agent`): a remote probe agent. Fetches the checks assigned to its region
 * from the server and runs them with the engine — the in-process heap scheduler, results stamped
 * with the region, and a forwarding authority: confirmation and quorum happen on the server, so
 * the agent only reports what it saw, stamped with when it saw it, pushing the results back in
 * batches through a buffer that survives outages and restarts.
 *
 * The check list is refreshed every `refreshMs` (a config change on the server reaches agents
 * without restarting them) and cached next to the buffer, so an agent restarted while the server
 * is unreachable keeps probing with the last list it had.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from '../domain/check.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import { probes as defaultProbes } from '../probes/registry.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createHeapScheduleSource } from '../engine/heap-schedule-source.ts';
import { createForwardingAuthority } from '../engine/forwarding-authority.ts';
import { agentChecksResponseSchema } from '../agents/agent-checks.ts';
import { createAgentClient, type AgentClient } from '../agents/agent-client.ts';
import { openResultBuffer } from '../agents/result-buffer.ts';
import { createResultSender, type SenderLogger } from '../agents/result-sender.ts';

export interface AgentOptions {
  server: string;
  token: string;
  /** Region this agent reports for (must match its token's region). */
  region: string;
  /** Directory of the on-disk buffer; in memory only when absent. */
  bufferDir?: string;
  logger: SenderLogger;
  probes?: ProbeRegistry;
  clock?: Clock;
  client?: AgentClient;
  /** How often the check list is re-fetched, ms (default 60 s). */
  refreshMs?: number;
  /** Most checks running at once (default 16). */
  concurrency?: number;
  /** Results per POST (default 200). */
  batchSize?: number;
  /** How long results wait to be batched, ms (default 1000). */
  flushMs?: number;
  maxBufferedResults?: number;
  maxBufferedBytes?: number;
}

export interface RunningAgent {
  /** Checks currently scheduled. */
  checks(): readonly Check[];
  /** Stops probing, tries to deliver what is buffered (bounded), keeps the rest on disk. */
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const probes = options.probes ?? defaultProbes;
  const client = options.client ?? createAgentClient({ server: options.server, token: options.token, clock });
  const cacheFile = options.bufferDir ? join(options.bufferDir, 'checks.json') : undefined;
  const buffer = openResultBuffer({
    dir: options.bufferDir,
    maxResults: options.maxBufferedResults,
    maxBytes: options.maxBufferedBytes,
    onDrop: (count) => logger.warn({ dropped: count }, 'result buffer full: dropped the oldest results'),
  });
  if (buffer.size) logger.info({ waiting: buffer.size }, 'buffered results from an earlier run will be delivered');
  const sender = createResultSender({
    buffer,
    post: (results) => client.postResults(results),
    logger,
    batchSize: options.batchSize,
    flushMs: options.flushMs,
  });
  let engine: Engine | undefined;
  let current: Check[] = [];
  let currentKey = '';
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Replaces the running schedule when the assigned checks changed. */
  async function apply(checks: Check[]): Promise<void> {
    const runnable = checks.filter((check) => {
      if (probes[check.kind as keyof typeof probes]) return true;
      logger.warn({ check: check.name, kind: check.kind }, 'this agent has no probe of this kind; skipping the check');
      return false;
    });
    const key = JSON.stringify(runnable);
    if (key === currentKey || stopped) return;
    const concurrency = options.concurrency ?? 16;
    let next: Engine;
    try {
      next = createEngine({
        checks: runnable,
        concurrency,
        region: options.region,
        probes,
        clock,
        // push checks are never assigned to agents
        lastHeartbeat: async () => undefined,
        logger,
        authority: createForwardingAuthority((results) => {
          buffer.append([...results]);
          sender.notify();
        }),
        schedule: createHeapScheduleSource({ checks: runnable, clock, concurrency }),
      });
    } catch (error) {
      logger.error({ err: error }, 'the server sent a condition this agent cannot compile; keeping the previous checks');
      return;
    }
    await engine?.stop();
    current = runnable;
    currentKey = key;
    engine = next;
    await engine.start();
    logger.info({ region: options.region, checks: runnable.map((check) => check.name) }, 'agent checks scheduled');
  }

  async function refresh(): Promise<boolean> {
    try {
      const { region, checks } = await client.fetchChecks();
      if (region !== options.region) {
        logger.error({ token: region, flag: options.region }, 'the token belongs to another region; the server decides: using its region');
      }
      if (cacheFile) {
        writeFileSync(`${cacheFile}.tmp`, JSON.stringify({ region, checks }));
        renameSync(`${cacheFile}.tmp`, cacheFile);
      }
      await apply(checks as Check[]);
      return true;
    } catch (error) {
      logger.warn({ err: error }, 'could not fetch the checks for this region; will retry');
      return false;
    }
  }

  sender.start();
  if (!(await refresh()) && cacheFile && existsSync(cacheFile)) {
    const cached = agentChecksResponseSchema.safeParse(JSON.parse(readFileSync(cacheFile, 'utf8')));
    if (cached.success) {
      logger.warn({ checks: cached.data.checks.length }, 'server unreachable at start: probing with the cached check list');
      await apply(cached.data.checks as Check[]);
    }
  }
  // until a list arrives, retry quickly; afterwards refresh at the normal pace
  const schedule = () => {
    if (stopped) return;
    refreshTimer = setTimeout(async () => {
      await refresh();
      schedule();
    }, currentKey ? (options.refreshMs ?? 60_000) : 2_000);
    refreshTimer.unref();
  };
  schedule();

  return {
    checks: () => current,
    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      await engine?.stop();
      await sender.stop();
    },
  };
}
