/**
 * Whether the store is taking writes, for `/readyz` and for a log that stays readable while it
 * is not. A full disk or a read-only data directory makes every result batch fail; without this
 * each failure was logged (about 100 lines a second) and `/readyz` stayed 200 because reads
 * still worked. Now the first failure is logged with its error, then at most one summary every
 * `summaryEveryMs`, and the first success after failures is logged as the recovery; meanwhile
 * `reason()` names what is wrong, in words safe to show to a load balancer.
 * @module
 */

interface HealthLogger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

export interface WriteHealth {
  /** Why the store is not taking writes (e.g. "disk full (SQLITE_FULL)"), or undefined when it is. */
  reason(): string | undefined;
  /** Wraps `recordResults` so its failures and successes are tracked (and logged here, bounded). */
  watch<S extends { recordResults(...args: never[]): Promise<unknown> }>(store: S): S;
  /** True for an error this tracker has logged already (the result bus should not log it again). */
  handled(error: unknown): boolean;
}

/** Driver codes along an error's `cause` chain (SQLite `code`, Node `code`, PostgreSQL SQLSTATE). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes;
}

/** A short, safe description of why a write failed. */
export function describeWriteFailure(error: unknown): string {
  const codes = codesOf(error);
  const has = (test: (code: string) => boolean) => codes.find(test);
  const full = has((c) => c === 'SQLITE_FULL' || c === 'ENOSPC' || c === '53100');
  if (full) return `disk full (${full})`;
  const readOnly = has((c) => c.startsWith('SQLITE_READONLY') || c === 'EROFS' || c === 'EACCES' || c === 'SQLITE_CANTOPEN');
  if (readOnly) return `data directory read-only (${readOnly})`;
  const io = has((c) => c.startsWith('SQLITE_IOERR') || c === 'EIO');
  if (io) return `disk I/O error (${io})`;
  return codes[0] ? `store writes failing (${codes[0]})` : 'store writes failing';
}

/** Creates the tracker; `now` is epoch ms (tests pass their own). */
export function createWriteHealth(deps: { logger: HealthLogger; summaryEveryMs?: number; now?: () => number }): WriteHealth {
  const every = deps.summaryEveryMs ?? 60_000;
  const now = deps.now ?? Date.now;
  let failing: { reason: string; since: number; failures: number; lastSummary: number; sinceSummary: number } | undefined;
  const logged = new WeakSet<object>();

  const failed = (error: unknown) => {
    const t = now();
    const reason = describeWriteFailure(error);
    if (!failing) {
      failing = { reason, since: t, failures: 1, lastSummary: t, sinceSummary: 0 };
      deps.logger.error({ err: error, reason }, 'store writes are failing: not ready until a write succeeds');
    } else {
      failing.failures++;
      failing.sinceSummary++;
      failing.reason = reason;
      if (t - failing.lastSummary >= every) {
        deps.logger.warn({ reason, failures: failing.sinceSummary, since: new Date(failing.since).toISOString() }, 'store writes still failing');
        failing.lastSummary = t;
        failing.sinceSummary = 0;
      }
    }
    if (typeof error === 'object' && error !== null) logged.add(error);
  };
  const succeeded = () => {
    if (!failing) return;
    deps.logger.info({ failures: failing.failures, downMs: now() - failing.since, reason: failing.reason }, 'store writes recovered');
    failing = undefined;
  };

  return {
    reason: () => failing && `${failing.reason} since ${new Date(failing.since).toISOString()}`,
    handled: (error) => typeof error === 'object' && error !== null && logged.has(error),
    watch(store) {
      const record = store.recordResults.bind(store) as (...args: unknown[]) => Promise<unknown>;
      return {
        ...store,
        async recordResults(...args: unknown[]) {
          try {
            const out = await record(...args);
            succeeded();
            return out;
          } catch (error) {
            failed(error);
            throw error;
          }
        },
      } as typeof store;
    },
  };
}
