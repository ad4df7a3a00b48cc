/**
 * The server side of remote probe agents, mounted under `/api/v1/agent`:
 *
 * - `GET  /checks`  → `{ region, checks }`: the normalised checks assigned to the agent's region;
 * - `POST /results` ← `{ sentAt?, results: CheckResult[] }` (at most `maxBatch`): result times put
 *   on the server's clock by the agent's measured offset (agent-clock.ts), then ingested through
 *   the same confirmation + quorum + bus path as local results; answers `{ accepted, rejected }`.
 *
 * Every request carries `Authorization: Bearer <token>`; the token's stored hash names the agent
 * and its region (results are stamped with that region whatever they say). The page's
 * reverse-proxy auth header does not apply here: agents are not behind that proxy.
 * @module
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { CheckResult } from '../domain/result.ts';
import type { Check } from '../domain/check.ts';
import { FAILURE_CLASSES } from '../domain/result.ts';
import type { Store } from '../storage/store.ts';
import { checksForRegion } from './agent-checks.ts';
import { hashAgentToken, parseAgentSubject, type AgentIdentity } from './agent-token.ts';
import { toServerTime } from './agent-clock.ts';
import type { SkewReporter } from '../kernel/clock-skew.ts';
import { createGuessThrottle } from '../kernel/guess-throttle.ts';

/** Most results one POST may carry (the agent sends at most this many). */
const MAX_AGENT_BATCH = 500;

export interface AgentRoutesDeps {
  /** The slice of the configuration agents are served from. */
  config: { checks: Check[] };
  store: Pick<Store, 'findCredential'>;
  /** Confirms, aggregates and publishes results (the engine's `ingest`). */
  ingest(results: CheckResult[]): Promise<number>;
  inMaintenance?(check: string, at: number): boolean;
  maxBatch?: number;
  logger?: { warn(obj: unknown, msg?: string): void };
  /** The server's clock (a cluster instance's store clock): result times are put on it; also the guess throttle's clock. */
  now?(): number;
  /** Told each agent's measured clock offset (gauge, warning). */
  clockSkew?: SkewReporter;
  /** The client address wrong tokens are counted against (http/client-address.ts). */
  clientAddress(c: Context): string;
}

const resultSchema = z.object({
  check: z.string().min(1).max(500),
  at: z.number().int().nonnegative(),
  status: z.enum(['up', 'degraded', 'down']),
  latencyMs: z.number().nonnegative(),
  statusCode: z.number().int().optional(),
  failure: z.object({ class: z.enum(FAILURE_CLASSES), message: z.string().max(2000) }).optional(),
  timings: z
    .object({
      dns: z.number().optional(),
      connect: z.number().optional(),
      tls: z.number().optional(),
      firstByte: z.number().optional(),
      total: z.number(),
    })
    .optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

type Env = { Variables: { agent: AgentIdentity } };

export function createAgentRoutes(deps: AgentRoutesDeps): Hono<Env> {
  const maxBatch = deps.maxBatch ?? MAX_AGENT_BATCH;
  // sentAt: the agent's clock when it sent the batch (older agents send none)
  const bodySchema = z.object({ sentAt: z.number().int().nonnegative().optional(), results: z.array(resultSchema).max(maxBatch) });
  const now = deps.now ?? Date.now;
  const app = new Hono<Env>();
  // wrong tokens per client address: 10, then one every 5 s; right tokens never count
  const guesses = createGuessThrottle();

  app.use('*', async (c, next) => {
    const client = deps.clientAddress(c);
    const wait = guesses.retryAfterMs(client, now());
    if (wait > 0) {
      return c.json({ error: 'too many wrong tokens' }, 429, { 'Retry-After': String(Math.ceil(wait / 1000)), 'Cache-Control': 'no-store' });
    }
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const credential = token ? await deps.store.findCredential('agent', hashAgentToken(token)) : undefined;
    const agent = credential ? parseAgentSubject(credential.subject) : undefined;
    if (!agent) {
      guesses.fail(client, now());
      return c.json({ error: 'unauthorized' }, 401, { 'WWW-Authenticate': 'Bearer realm="upstate-agent"', 'Cache-Control': 'no-store' });
    }
    c.set('agent', agent);
    await next();
  });

  app.get('/checks', (c) => {
    const { region } = c.get('agent');
    return c.json({ region, checks: checksForRegion(deps.config.checks, region) }, 200, { 'Cache-Control': 'no-store' });
  });

  app.post(
    '/results',
    // ~2 KB per result is generous; the bound keeps one request from holding megabytes
    bodyLimit({ maxSize: maxBatch * 4096, onError: (c) => c.json({ error: 'batch too large' }, 413) }),
    async (c) => {
      const agent = c.get('agent');
      const receivedAt = now();
      const parsed = bodySchema.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) {
        return c.json({ error: 'invalid batch', issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) }, 400);
      }
      const assigned = new Set(checksForRegion(deps.config.checks, agent.region).map((check) => check.name));
      const results: CheckResult[] = [];
      for (const raw of parsed.data.results) {
        if (!assigned.has(raw.check)) continue;
        const result: CheckResult = { ...raw, region: agent.region };
        if (deps.inMaintenance?.(raw.check, raw.at)) result.inMaintenance = true;
        results.push(result);
      }
      const unassigned = parsed.data.results.length - results.length;
      if (unassigned) deps.logger?.warn({ agent: agent.name, region: agent.region, rejected: unassigned }, 'agent sent results for checks not assigned to its region');
      const timed = toServerTime(results, parsed.data.sentAt, receivedAt);
      if (timed.offsetMs !== undefined) deps.clockSkew?.record({ kind: 'agent', name: agent.name, fields: { region: agent.region } }, timed.offsetMs);
      if (timed.implausible) deps.logger?.warn({ agent: agent.name, region: agent.region, rejected: timed.implausible }, 'agent sent results with impossible times (after it sent them, or in the future); refused');
      const accepted = timed.results.length ? await deps.ingest(timed.results) : 0;
      return c.json({ accepted, rejected: unassigned + timed.implausible });
    },
  );
  return app;
}
