/**
 * Which checks an agent runs, and the wire form they travel in. The server sends the
 * normalised checks (already validated, defaults applied, durations in ms) whose `regions`
 * include the agent's region; the agent runs them with the same scheduler and `runCheck` as the
 * server. Push (heartbeat) checks are never sent: nothing can run them remotely.
 * @module
 */
import { z } from 'zod';
import type { Check } from '../domain/check.ts';

/** Kinds that are received, not run, and so are never assigned to agents. */
const PUSH_KINDS: ReadonlySet<string> = new Set(['heartbeat']);

/** The checks assigned to `region`. */
export function checksForRegion(checks: readonly Check[], region: string): Check[] {
  return checks.filter((check) => check.regions.includes(region) && !PUSH_KINDS.has(check.kind));
}

/**
 * What an agent accepts from the server: the Check shape. The probe's own config was validated
 * (and transformed) by the server's schema, so it is taken as sent; the agent only refuses
 * kinds it does not know.
 */
const agentCheckSchema = z.object({
  name: z.string().min(1),
  group: z.string().optional(),
  description: z.string().optional(),
  intervalMs: z.number().int().positive(),
  timeoutMs: z.number().int().positive(),
  degradedAfterMs: z.number().nonnegative().optional(),
  confirm: z.object({
    downAfter: z.object({ count: z.number().int().positive(), of: z.number().int().positive() }),
    upAfter: z.number().int().positive(),
  }),
  conditions: z.array(z.string()),
  kind: z.string().min(1),
  probe: z.unknown(),
  target: z.string(),
  regions: z.array(z.string()),
  quorum: z.number().int().positive(),
});

/** The body of `GET /api/v1/agent/checks`. */
export const agentChecksResponseSchema = z.object({
  region: z.string(),
  checks: z.array(agentCheckSchema),
});
export type AgentChecksResponse = z.output<typeof agentChecksResponseSchema>;
