/**
 * The process logger (pino: structured JSON lines, cheap on the hot path). Level from
 * `--log-level`, else `UPSTATE_LOG_LEVEL`, else `info`.
 *
 * Warnings and errors are rate-bounded: the same message about the same subject (check, alert,
 * channel, agent, path) is logged at most once per minute, and the next one after that carries
 * `repeated: N`, the count left out meanwhile. A full disk or a dead database makes the same
 * write fail every second for every check; the log shows that once a minute, not 100 times a
 * second. Different messages and different subjects are never held back by each other.
 * @module
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** How long the same warning or error is held back after it was logged. */
const REPEAT_WINDOW_MS = 60_000;
/** Most distinct (message, subject) keys remembered. */
const MAX_KEYS = 5000;
const SUBJECT_FIELDS = ['check', 'alert', 'channel', 'agent', 'region', 'path'] as const;

type LogArgs = [unknown, ...unknown[]];

/** A pino `logMethod` hook that holds back repeats of the same warning or error (see module doc). */
export function repeatLimiter(windowMs = REPEAT_WINDOW_MS, now: () => number = Date.now) {
  const seen = new Map<string, { at: number; held: number }>();
  return function logMethod(this: Logger, args: LogArgs, method: (...args: unknown[]) => void, level: number): void {
    if (level < 40) return method.apply(this, args);
    const first = args[0];
    const obj = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
    const msg = String((obj ? args[1] : first) ?? '');
    const key = [level, msg, ...SUBJECT_FIELDS.map((field) => String(obj?.[field] ?? ''))].join('\u0000');
    const t = now();
    const entry = seen.get(key);
    if (entry && t - entry.at < windowMs) {
      entry.held++;
      return;
    }
    seen.delete(key);
    seen.set(key, { at: t, held: 0 });
    if (seen.size > MAX_KEYS) seen.delete(seen.keys().next().value as string);
    if (!entry?.held) return method.apply(this, args);
    const fields = first instanceof Error ? { err: first } : (obj ?? {});
    const rest = obj ? args.slice(1) : args;
    return method.apply(this, [{ ...fields, repeated: entry.held }, ...rest]);
  };
}

export function createLogger(level?: string): Logger {
  return pino({ level: level ?? process.env.UPSTATE_LOG_LEVEL ?? 'info', base: { app: 'upstate' }, hooks: { logMethod: repeatLimiter() } });
}
