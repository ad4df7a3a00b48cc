/**
 * The slice of a logger alerting uses (pino's signature), so any compatible logger can be passed.
 * @module
 */
export interface AlertingLogger {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: AlertingLogger = { info() {}, warn() {}, error() {} };
