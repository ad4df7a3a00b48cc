/**
 * The process's open-file limits, logged at start. Every check opens at least one socket, and so
 * does every page visitor; when the process runs out, checks fail with EMFILE (recorded as local
 * problems, never as the target being down, but they are not measured either).
 *
 * Node raises its own soft limit to the hard limit when it starts (it calls setrlimit before any
 * user code runs), so what is left to do here is to read both, log them, and warn when the hard
 * limit itself is low: only the service manager can raise that (`LimitNOFILE=` in systemd,
 * `ulimit -Hn` in a shell, `--ulimit nofile=` in Docker).
 * @module
 */
import { readFileSync } from 'node:fs';

/** Below this many descriptors the log says to raise the limit. */
export const LOW_FD_LIMIT = 4096;

export interface FdLimits {
  /** `Infinity` for "unlimited". */
  soft: number;
  hard: number;
}

/** Parses the "Max open files" line of `/proc/<pid>/limits`; undefined when absent (not Linux). */
export function parseFdLimits(procLimits: string): FdLimits | undefined {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(procLimits);
  if (!match) return undefined;
  const value = (text: string) => (text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text));
  return { soft: value(match[1]), hard: value(match[2]) };
}

interface LimitsLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Logs both fd limits (a warning with the fix when they are low); silent where they cannot be read. */
export function logFdLimits(logger: LimitsLogger, read = () => readFileSync('/proc/self/limits', 'utf8')): FdLimits | undefined {
  let limits: FdLimits | undefined;
  try {
    limits = parseFdLimits(read());
  } catch {
    return undefined; // no /proc (macOS, some sandboxes): nothing to report
  }
  if (!limits) return undefined;
  const details = { softFdLimit: limits.soft, hardFdLimit: limits.hard };
  if (limits.soft >= LOW_FD_LIMIT) logger.info(details, 'open file limit');
  else {
    logger.warn(
      { ...details, recommended: LOW_FD_LIMIT },
      `open file limit is low: every check and every client connection needs a descriptor; raise it (systemd LimitNOFILE=65536, ulimit -n 65536, docker --ulimit nofile=65536)`,
    );
  }
  return limits;
}
