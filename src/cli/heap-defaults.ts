/**
 * The V8 heap sizing `upstate serve` starts with when the operator chose none. By default V8
 * lets the old generation grow to several times the live set after each full collection (the
 * factor rises up to 4× on a machine with memory to spare and a fast allocation rate): at
 * 100,000 checks a minute that was 0.7–0.9 GB of RSS for ~0.25 GB of live data. A fixed growth of
 * `HEAP_GROWING_PERCENT` after each full collection keeps RSS near the live set, for some more
 * collector CPU (docs/benchmarks.md, "Serve memory: heap defaults", has the figures).
 *
 * It is one of the few heap flags V8 reads again at every collection, so it can be set from
 * inside the process (`v8.setFlagsFromString`); the heap size limits and the young generation
 * are fixed at start-up and stay the operator's choice (`NODE_OPTIONS`). An explicit
 * `--heap-growing-percent` (in the command's Node flags or `NODE_OPTIONS`) wins; `=0` restores
 * V8's own dynamic factor.
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** Old-generation growth after a full collection, in percent of the live heap. */
export const HEAP_GROWING_PERCENT = 50;

/** The V8 flags to set: none when the operator already chose the heap growth. */
export function heapDefaults(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  if (given.some((flag) => /^--heap[-_]growing[-_]percent(=|$)/.test(flag))) return [];
  return [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
}

/** Sets `heapDefaults` for this process; returns the flags it set. */
export function applyHeapDefaults(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const flags = heapDefaults(execArgv, nodeOptions);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
