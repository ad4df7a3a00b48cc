/**
 * Races a promise against the check's abort signal, for steps that take no signal of their own
 * (a DNS lookup, a library's connect, a pg or mysql2 call: drivers have timeouts of their own,
 * but none shares the check's one deadline): the probe gets its answer at the deadline, whatever
 * the step does afterwards. The caller destroys the step's socket in its `finally`.
 * @module
 */

/** Resolves like `promise`, or rejects with `onAbort()` when `signal` fires first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {}); // settled later; nobody waits for it
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}
