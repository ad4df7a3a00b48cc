/**
 * Clock skew between the parts of a deployment: every clock that decides something (leases,
 * claims, staleness) is the server's or the database's, and the offsets of the others (agents,
 * cluster instances) are measured, reported (a gauge) and warned about above `CLOCK_SKEW_LIMIT_MS`.
 * @module
 */

/**
 * Offsets at or under this are left alone (they are network delay and NTP noise); above it an
 * agent's result times are corrected, and a warning names the host whose clock is off.
 */
export const CLOCK_SKEW_LIMIT_MS = 2_000;

/** How often one source's warning is repeated while its offset stays about the same. */
const REWARN_MS = 10 * 60_000;

interface SkewSource {
  /** `agent` or `instance`. */
  kind: 'agent' | 'instance';
  /** The agent's or instance's name. */
  name: string;
  /** Extra log fields (the agent's region). */
  fields?: Record<string, unknown>;
}

export interface SkewReporterDeps {
  /** Sets the gauge (seconds in /metrics) of a source; called for every measurement. */
  observe?(source: SkewSource, offsetMs: number): void;
  logger: { warn(details: object, message: string): void };
  /** The reporter's own time, for spacing warnings. */
  now(): number;
}

export interface SkewReporter {
  /** Records one measured offset (positive: the source's clock is behind ours). */
  record(source: SkewSource, offsetMs: number): void;
}

/**
 * Reports measured offsets: every one to `observe`, and a warning when a source is off by more
 * than the limit — once, then again when its offset moved by more than the limit or after 10 min.
 */
export function createSkewReporter(deps: SkewReporterDeps): SkewReporter {
  const warned = new Map<string, { offsetMs: number; at: number }>();
  return {
    record(source, offsetMs) {
      deps.observe?.(source, offsetMs);
      const key = `${source.kind}\u0000${source.name}`;
      if (Math.abs(offsetMs) <= CLOCK_SKEW_LIMIT_MS) {
        warned.delete(key);
        return;
      }
      const last = warned.get(key);
      const now = deps.now();
      if (last && Math.abs(last.offsetMs - offsetMs) <= CLOCK_SKEW_LIMIT_MS && now - last.at < REWARN_MS) return;
      warned.set(key, { offsetMs, at: now });
      const direction = offsetMs > 0 ? 'behind' : 'ahead of';
      deps.logger.warn(
        { [source.kind]: source.name, ...source.fields, clockOffsetMs: Math.round(offsetMs), limitMs: CLOCK_SKEW_LIMIT_MS },
        `clock of ${source.kind} ${source.name} is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${direction} the server's; its times are corrected — fix its time sync (NTP)`,
      );
    },
  };
}
