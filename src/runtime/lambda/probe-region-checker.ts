/**
 * The checker function of a **probe-region** stack (`PrimaryUrl` set): a remote probe agent that
 * lives in a Lambda. Each scheduled invocation fetches the checks assigned to its region from the
 * primary's agent API (`GET /api/v1/agent/checks`, re-read once per refresh period, the last list
 * kept when the primary is unreachable), runs those whose slot falls in this tick, and posts the
 * results to `POST /api/v1/agent/results`. Confirmation and the quorum over regions happen on the
 * primary, exactly as for `upstate agent`; this function keeps no table.
 *
 * Which checks a tick runs is decided from the EventBridge event's scheduled `time` (whole
 * minutes), not from a stored schedule: a check is due when one of its phase slots lies in
 * `(time − period, time]`, so every interval of at least the schedule period runs once per
 * interval, and shorter intervals run once per tick (as on the primary). Results the primary did
 * not take stay in the warm container (bounded) and go out with the next invocation.
 * @module
 */
import type { Check } from '../../domain/check.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { ProbeRunners } from '../../probes/probe.ts';
import type { Clock } from '../../kernel/clock.ts';
import { createEngine, isNotStarted, type Engine } from '../../engine/engine.ts';
import { createForwardingAuthority } from '../../engine/forwarding-authority.ts';
import { nextSlot, phaseOf } from '../../scheduler/scheduler.ts';
import type { AgentClient } from '../../agents/agent-client.ts';
import { openResultBuffer } from '../../agents/result-buffer.ts';
import { inShard, shardOf } from './checker-shard.ts';
import type { LambdaLogger } from './lambda-logger.ts';
import { coldStart } from './lambda-runtime.ts';
import type { LambdaContext } from './lambda-types.ts';

/** Results per POST (the primary accepts up to 500). */
const BATCH = 200;

/** What the probe-region checker is built from (opened once per container). */
export interface ProbeRegionRuntime {
  /** The region name the primary knows this stack by (the agent token's region). */
  region: string;
  logger: LambdaLogger;
  /** The agent client with the current token (a rotated token gives a new client). */
  client(): Promise<AgentClient>;
}

export interface ProbeRegionCheckerDeps {
  runtime(): Promise<ProbeRegionRuntime>;
  probes: ProbeRunners;
  clock: Clock;
  /** The schedule's period, ms (the rule's rate; default 60 s). */
  periodMs?: number;
  /** How often the check list is re-fetched, ms (default 60 s: about every tick). */
  refreshMs?: number;
  marginMs: number;
  /** Most results kept for a later invocation while the primary is unreachable (default 10,000). */
  maxWaiting?: number;
  concurrency?: number;
}

/** What one probe-region invocation did (also logged). */
interface ProbeRegionSummary {
  region: string;
  checked: number;
  up: number;
  down: number;
  degraded: number;
  notStarted: number;
  /** Results the primary took in this invocation (earlier ones included). */
  delivered: number;
  /** Results still waiting for the primary. */
  waiting: number;
  durationMs: number;
}

/**
 * The checks of `checks` due in the tick at `tick`: one of their slots lies in
 * `(tick − periodMs, tick]`; checks with intervals up to the period are due every tick.
 */
export function dueInTick(checks: readonly Check[], tick: number, periodMs: number): Check[] {
  return checks.filter((check) => {
    if (check.intervalMs <= periodMs) return true;
    return nextSlot(tick - periodMs + 1, check.intervalMs, phaseOf(check.name, check.intervalMs)) <= tick;
  });
}

/** The scheduled time of an EventBridge event (`time`), else `now` rounded down to the minute. */
function tickOf(event: unknown, now: number): number {
  const time = (event as { time?: unknown } | null | undefined)?.time;
  const at = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(at) ? at : Math.floor(now / 60_000) * 60_000;
}

/** The probe-region checker's Lambda handler. */
export type ProbeRegionChecker = (event: unknown, context: LambdaContext) => Promise<ProbeRegionSummary>;

/** Builds the probe-region handler; the engine is rebuilt only when the assigned checks change. */
export function createProbeRegionChecker(deps: ProbeRegionCheckerDeps): ProbeRegionChecker {
  const { clock, probes } = deps;
  const periodMs = deps.periodMs ?? 60_000;
  const refreshMs = deps.refreshMs ?? 60_000;
  const buffer = openResultBuffer({ maxResults: deps.maxWaiting ?? 10_000 });
  let checks: Check[] | undefined;
  let checksKey = '';
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let engine: Engine | undefined;

  /** The assigned checks: re-fetched once per refresh period; the last list when the primary fails. */
  async function assigned(runtime: ProbeRegionRuntime, client: AgentClient): Promise<Check[]> {
    if (checks && clock.now() - fetchedAt < refreshMs) return checks;
    try {
      const answer = await client.fetchChecks();
      fetchedAt = clock.now();
      if (answer.region !== runtime.region) {
        runtime.logger.error({ token: answer.region, configured: runtime.region }, 'the agent token belongs to another region; the primary stamps results with the token\'s region');
      }
      const runnable = (answer.checks as Check[]).filter((check) => {
        if (probes[check.kind as keyof typeof probes]) return true;
        runtime.logger.warn({ check: check.name, kind: check.kind }, 'this function has no probe of this kind; skipping the check');
        return false;
      });
      const key = JSON.stringify(runnable);
      if (key !== checksKey) {
        // built before it replaces the old one: a condition that does not compile keeps the old list
        engine = createEngine({
          checks: runnable,
          concurrency: deps.concurrency ?? 16,
          region: runtime.region,
          probes,
          clock,
          lastHeartbeat: async () => undefined,
          logger: runtime.logger,
          authority: createForwardingAuthority((results) => buffer.append([...results])),
        });
        checks = runnable;
        checksKey = key;
        runtime.logger.info({ region: runtime.region, checks: runnable.length }, 'probe-region checks loaded');
      }
    } catch (error) {
      if (!checks) throw error;
      runtime.logger.warn({ err: error }, 'could not fetch the checks from the primary; running the last list');
    }
    return checks!;
  }

  /** Posts what waits, in order, until done, refused for now, or out of time. */
  async function deliver(client: AgentClient, logger: LambdaLogger, deadline: number): Promise<number> {
    let delivered = 0;
    while (buffer.size && clock.now() < deadline) {
      const batch = buffer.peek(BATCH);
      const outcome = await client.postResults(batch);
      if (outcome.kind === 'ok') {
        delivered += batch.length;
        buffer.ack(batch.length);
        continue;
      }
      if (outcome.kind === 'reject') {
        logger.error({ dropped: batch.length, reason: outcome.reason }, 'the primary refused a batch of results; dropping it');
        buffer.ack(batch.length);
        continue;
      }
      logger[outcome.kind === 'unauthorized' ? 'error' : 'warn']({ reason: outcome.reason, waiting: buffer.size }, 'the primary did not take the results; keeping them for the next invocation');
      break;
    }
    return delivered;
  }

  const runtimeOnce = coldStart(() => deps.runtime());
  return async (event: unknown, context: LambdaContext): Promise<ProbeRegionSummary> => {
    const started = clock.now();
    const runtime = await runtimeOnce();
    const deadline = started + context.getRemainingTimeInMillis() - deps.marginMs;
    const client = await runtime.client();
    const shard = shardOf(event);
    const due = dueInTick(await assigned(runtime, client), tickOf(event, started), periodMs).filter((check) => inShard(check.name, shard));
    const results: CheckResult[] = due.length ? await engine!.run(due, { deadline }) : [];
    // posting gets the margin too: the results are the invocation's whole point
    const delivered = await deliver(client, runtime.logger, deadline + deps.marginMs - 1_000);
    const count = (status: string) => results.filter((result) => result.status === status).length;
    const summary: ProbeRegionSummary = {
      region: runtime.region,
      checked: results.length,
      up: count('up'),
      down: count('down'),
      degraded: count('degraded'),
      notStarted: results.filter(isNotStarted).length,
      delivered,
      waiting: buffer.size,
      durationMs: clock.now() - started,
    };
    runtime.logger.info({ ...summary, shard: shard?.key, requestId: context.awsRequestId }, 'probe-region checks run');
    return summary;
  };
}
