/**
 * Bounds a driver call (pg, mysql2, grpc-js, playwright) by the check's AbortSignal. Drivers
 * have their own timeouts, but none shares the check's one deadline, so each probe races its
 * work against the signal and then destroys the driver's socket in its `finally`.
 * @module
 */
import { ProbeFailure } from './probe-failure.ts';

/**
 * Resolves with `work`, or rejects with a `timeout` ProbeFailure as soon as `signal` fires. The
 * message names what the probe was doing at that moment (`during()` is read when it fires).
 * A late rejection of `work` is swallowed so it never becomes an unhandled rejection.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number, during: () => string): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(timeoutFailure(timeoutMs, during()));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutFailure(timeoutMs, during()));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function timeoutFailure(timeoutMs: number, during: string): ProbeFailure {
  return new ProbeFailure('timeout', `timed out after ${timeoutMs} ms ${during}`);
}
