/**
 * The `heartbeat` (push) probe: instead of reaching out, Upstate waits for a job to request its
 * push URL (`/api/v1/push/<token>`, see push.ts) at least once per `period`, plus `grace`.
 *
 * ```yaml
 * heartbeat:
 *   period: 5m            # how often the job runs
 *   grace: 1m             # extra slack before it counts as late (default 1m)
 *   token: ${BACKUP_PUSH_TOKEN}   # optional; when absent Upstate generates one and prints the URL once
 * ```
 * Each run reads the last ping: older than period + grace → down, class `timeout`; a ping that
 * reported failure (`?status=fail&msg=…`) → down, class `body`, with the job's message.
 *
 * Never pinged: the clock starts at the probe's first run for that check in this process, so a
 * new check gets one full period + grace before it is called down. That start lives in this
 * probe instance (keyed by check name), so it restarts with the process — a restart before the
 * first ping only delays "down" by one period + grace. The scheduler runs the probe every
 * `interval`, so "down" is noticed up to one interval after the deadline.
 * @module
 */
import { z } from 'zod';
import { duration } from '../../kernel/duration.ts';
import { formatDuration } from '../../kernel/parse-duration.ts';
import { defineProbe, type Probe } from '../probe.ts';
import type { ProbeOutcome } from '../../domain/result.ts';
import { HEARTBEAT_TOKEN_MAX_LENGTH, HEARTBEAT_TOKEN_MIN_LENGTH, HEARTBEAT_TOKEN_PATTERN } from './heartbeat-token.ts';

const DEFAULT_GRACE_MS = 60_000;

const schema = z.strictObject({
  period: duration.refine((ms) => ms >= 1000, 'must be at least 1s'),
  grace: duration.default(DEFAULT_GRACE_MS),
  token: z
    .string()
    .min(HEARTBEAT_TOKEN_MIN_LENGTH, `must be at least ${HEARTBEAT_TOKEN_MIN_LENGTH} characters (use a long random value)`)
    .max(HEARTBEAT_TOKEN_MAX_LENGTH)
    .regex(HEARTBEAT_TOKEN_PATTERN, 'may only contain letters, digits and - _ . ~ (it goes in a URL)')
    .optional(),
});

/** Validated heartbeat config; durations in ms. */
export type HeartbeatProbeConfig = z.output<typeof schema>;

/** What the probe puts in `details.heartbeat`. */
export interface HeartbeatDetails {
  periodMs: number;
  graceMs: number;
  /** Last ping time (epoch ms), absent when never pinged. */
  lastPingAt?: number;
  /** How old the last ping was when the probe ran. */
  ageMs?: number;
  /** What the last ping reported. */
  lastPingOk?: boolean;
  message?: string;
  /** Never pinged: when this process started waiting. */
  waitingSince?: number;
}

/** Builds a heartbeat probe with its own "first seen" memory; `heartbeatProbe` is the default one. */
export function createHeartbeatProbe(): Probe<HeartbeatProbeConfig> {
  const firstRunAt = new Map<string, number>();

  return defineProbe<HeartbeatProbeConfig>({
    kind: 'heartbeat',
    schema: schema as z.ZodType<HeartbeatProbeConfig>,
    // Never the token: the display string is public.
    describe: (config) => `push every ${formatDuration(config.period)} (+${formatDuration(config.grace)} grace)`,
    async run(config, ctx) {
      const now = ctx.now();
      const ping = await ctx.lastHeartbeat();
      const allowedMs = config.period + config.grace;
      const budget = `period ${formatDuration(config.period)} + grace ${formatDuration(config.grace)}`;
      const base = { periodMs: config.period, graceMs: config.grace };

      if (!ping) {
        if (!firstRunAt.has(ctx.check)) firstRunAt.set(ctx.check, now);
        const since = firstRunAt.get(ctx.check)!;
        const details: HeartbeatDetails = { ...base, waitingSince: since };
        if (now - since <= allowedMs) return outcome(details);
        return outcome(details, { class: 'timeout', message: `no ping yet, waited ${formatAge(now - since)} (${budget})` });
      }

      firstRunAt.delete(ctx.check); // pinged at least once: the ping's own time is the clock now
      const ageMs = Math.max(0, now - ping.at); // a ping "from the future" (clock skew) is fresh
      const details: HeartbeatDetails = { ...base, lastPingAt: ping.at, ageMs, lastPingOk: ping.ok };
      if (ping.message !== undefined) details.message = ping.message;
      if (ageMs > allowedMs) {
        return outcome(details, { class: 'timeout', message: `no ping for ${formatAge(ageMs)} (${budget})` });
      }
      if (!ping.ok) {
        const said = ping.message ? `: ${ping.message}` : '';
        return outcome(details, { class: 'body', message: `job reported failure ${formatAge(ageMs)} ago${said}` });
      }
      return outcome(details);
    },
  });
}

/** The default heartbeat probe used by the registry. */
export const heartbeatProbe = createHeartbeatProbe();

function outcome(details: HeartbeatDetails, failure?: ProbeOutcome['failure']): ProbeOutcome {
  // Nothing travels over a network here, so there is no latency to report.
  const result: ProbeOutcome = { ok: !failure, latencyMs: 0, details: { heartbeat: details } };
  if (failure) result.failure = failure;
  return result;
}

/** `7m`, `7m12s`, `2h5m`, `1d3h`: the two largest non-zero units, for messages. */
export function formatAge(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || parts.length > 0) {
      if (count > 0) parts.push(`${count}${unit}`);
      rest -= count * size;
      if (parts.length === 2 || (parts.length === 1 && count === 0)) break;
    }
  }
  return parts.join('');
}
