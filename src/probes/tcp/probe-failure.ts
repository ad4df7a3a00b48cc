/**
 * A failure already translated into domain words while connecting or talking to a target.
 * Connection helpers throw it so that the probe's one `classifyError` call keeps the class and
 * message chosen where the most was known (e.g. the certificate facts of a rejected handshake).
 * @module
 */
import type { Failure, FailureClass } from '../../domain/result.ts';

/** Thrown by connection helpers; probes turn it back into `outcome.failure`. */
export class ProbeFailure extends Error {
  readonly failureClass: FailureClass;
  /** Facts gathered before failing (e.g. `certificate`), merged into `outcome.details`. */
  readonly details?: Record<string, unknown>;

  constructor(failureClass: FailureClass, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, { cause: options?.cause });
    this.name = 'ProbeFailure';
    this.failureClass = failureClass;
    this.details = options?.details;
  }

  /** The domain failure this error stands for. */
  toFailure(): Failure {
    return { class: this.failureClass, message: this.message };
  }
}
