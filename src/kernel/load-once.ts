/**
 * A module (or anything else) loaded on first use and kept: concurrent callers share the one
 * load, and a failed load is tried again by the next call instead of failing every later one.
 * @module
 */

/** Returns a function that starts `load` on its first call and resolves to the same value after. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
