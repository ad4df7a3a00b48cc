/**
 * The process logger (pino: structured JSON lines, cheap on the hot path). Level from
 * `--log-level`, else `UPSTATE_LOG_LEVEL`, else `info`.
 * @module
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level?: string): Logger {
  return pino({ level: level ?? process.env.UPSTATE_LOG_LEVEL ?? 'info', base: { app: 'upstate' } });
}
