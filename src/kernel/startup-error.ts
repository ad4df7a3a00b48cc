/**
 * A start-up failure the operator has to fix outside Upstate (a data directory that cannot be
 * created or written, …). The CLI prints its message as one line, without a stack trace, and
 * exits 2 like a config error.
 * @module
 */

/** A start-up failure shown as one line (exit 2); the underlying error stays in `cause`. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
