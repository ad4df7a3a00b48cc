/**
 * The probe plug-in contract. A probe is `{ kind, schema, run }`: the config schema is derived
 * from the registry (probes/registry.ts), so adding a kind is one folder and one line there.
 *
 * `run` returns data for every failing target — a refused connection, a bad certificate, a
 * garbage reply — and throws only for bugs. It must honour `ctx.signal`: the scheduler aborts it
 * at the check's timeout and records a `timeout` failure whatever the probe does afterwards.
 * @module
 */
import type { z } from 'zod';
import type { ProbeOutcome } from '../domain/result.ts';
import type { HeartbeatPing } from '../storage/store.ts';
import type { KeepAlivePool } from './keep-alive-pool.ts';

/** What a probe may use while running. Everything is passed in; probes keep no globals. */
export interface ProbeContext {
  /** Name of the check being run (for messages and heartbeat look-ups). */
  check: string;
  /** Aborted when the check's timeout passes or the process shuts down. */
  signal: AbortSignal;
  /** The check's timeout in ms (the signal fires at this point). */
  timeoutMs: number;
  /** Wall clock, epoch ms; injectable for tests. */
  now(): number;
  /** Last heartbeat ping received for this check (push checks only). */
  lastHeartbeat(): Promise<HeartbeatPing | undefined>;
  /**
   * Idle connections shared by the engine's runs (the http probe reuses one per origin). Absent
   * (a one-off `upstate check`, a probe test): every run opens its own connection.
   */
  keepAlive?: KeepAlivePool;
}

export interface Probe<Config = unknown> {
  /** The YAML key under a check that selects this kind, e.g. `http`. */
  kind: string;
  /** Validates the kind's own config object (strict: unknown keys are errors). */
  schema: z.ZodType<Config>;
  /** Probes the target once. Never throws for a failing target. */
  run(config: Config, ctx: ProbeContext): Promise<ProbeOutcome>;
  /** Short display string for the target (URL, host:port, …); never contains secrets. */
  describe(config: Config): string;
}

/**
 * What running checks needs of each kind: `run` only. The registry (registry.ts) fits it, and so
 * does lazy-registry.ts, which imports a kind's module on its first run.
 */
export type ProbeRunners = Record<string, Pick<Probe<any>, 'run'>>;

/** Identity helper that keeps a probe's config type checked against its schema. */
export function defineProbe<Config>(probe: Probe<Config>): Probe<Config> {
  return probe;
}
