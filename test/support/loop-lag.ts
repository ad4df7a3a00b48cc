/**
 * Measures how late this process's event loop runs timers while something is in progress. A
 * test that bounds how promptly code reacts (a probe returning after its abort signal) adds
 * the lag it measured instead of guessing a margin: on an idle machine the bound stays tight,
 * on a busy one it grows by exactly the delay the machine imposed.
 * @module
 */

export interface LoopLagWatch {
  /** Largest lateness seen so far, ms. */
  max(): number;
  /**
   * Waits for one more sample (so a stall just before the call is counted too), stops watching
   * and returns the largest lateness seen, ms.
   */
  stop(): Promise<number>;
}

/** Starts sampling every `intervalMs`; each sample records how late its timer fired. */
export function watchLoopLag(intervalMs = 10): LoopLagWatch {
  let expected = performance.now() + intervalMs;
  let max = 0;
  const waiting: (() => void)[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - expected);
    expected = now + intervalMs;
    for (const wake of waiting.splice(0)) wake();
  }, intervalMs);
  return {
    max: () => max,
    stop: () =>
      new Promise<number>((resolve) => {
        waiting.push(() => {
          clearInterval(timer);
          resolve(Math.round(max));
        });
      }),
  };
}
