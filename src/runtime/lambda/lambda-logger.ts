/**
 * A small JSON-lines logger for Lambda: one `console` line per entry, which the Lambda runtime
 * forwards to CloudWatch Logs with the request id attached. Lighter than pino in a bundle and
 * needs no transport threads. Level from `UPSTATE_LOG_LEVEL` (default `info`; `silent` mutes).
 * @module
 */
export interface LambdaLogger {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = keyof typeof LEVELS;

/** Where lines go; defaults to the console (tests pass an array push). */
export type LogSink = (line: string) => void;

/** Creates the logger; unknown levels fall back to `info`. */
export function createLambdaLogger(level: string | undefined, sink: LogSink = (line) => console.log(line)): LambdaLogger {
  const threshold = level !== undefined && Object.hasOwn(LEVELS, level) ? LEVELS[level as Level] : LEVELS.info;
  const write = (name: Exclude<Level, 'silent' | 'debug'>) => (details: object, message?: string) => {
    if (LEVELS[name] < threshold) return;
    sink(JSON.stringify({ level: name, msg: message, ...serialise(details) }));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** Errors do not survive JSON.stringify; keep their name, message, stack and cause chain. */
function serialise(details: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) out[key] = value instanceof Error ? errorFields(value) : value;
  return out;
}

function errorFields(error: Error, depth = 0): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause instanceof Error && depth < 3) fields.cause = errorFields(error.cause, depth + 1);
  return fields;
}
