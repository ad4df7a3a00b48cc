/**
 * The V8 heap sizing `upstate serve` runs with when the operator chose none.
 *
 * - Old generation: by default V8 lets it grow to several times the live set after each full
 *   collection (the factor rises up to 4× on a machine with memory to spare and a fast allocation
 *   rate): at 100,000 checks a minute that was 0.7–0.9 GB of RSS for ~0.25 GB of live data. A
 *   fixed growth of 30% keeps it near the live set, for some more collector CPU (at 100,000
 *   checks a minute 50% → 30% was ~20 MB less RSS for ~0.02 more cores; the same CPU at 500
 *   checks every 20 s, where the heap is small).
 * - Young generation: V8 sizes each of its two semi-spaces up to 64 MB on a machine with memory
 *   to spare, and a server allocating a result per check fills them: 128 MB of RSS, mostly
 *   garbage between scavenges. 16 MB each cost a few more scavenges (docs/benchmarks.md, "Serve
 *   memory", has the figures).
 * - Memory reducer off: when allocation slows, V8's memory reducer runs full collections to hand
 *   heap back to the system. A monitor at a few hundred checks allocates slowly enough to get one
 *   every ~100 s, and each threw away ~115 functions' optimized code ("embedded weak objects
 *   cleared"), compiled again on the next runs: optimizing compiles were ~10% of the CPU of 500
 *   checks every 20 s. The heap then is some tens of MB, so there is little to hand back; full
 *   collections still run when the old generation reaches its limit.
 *
 * The growth is read by V8 at every collection, so it can be set from inside the process
 * (`v8.setFlagsFromString`); the semi-space size and the memory reducer are fixed when the heap
 * is set up, so the entry point starts itself again with them (`process.execve`: same process
 * id, nothing loaded yet). Any of these flags the operator gave (on the command line or in
 * `NODE_OPTIONS`, a switch in either sense) wins; where `process.execve` is missing (Windows)
 * only the growth is set.
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** Old-generation growth after a full collection, in percent of the live heap. */
export const HEAP_GROWING_PERCENT = 30;
/** Size of each of the young generation's two semi-spaces, MB. */
export const MAX_SEMI_SPACE_MB = 16;

interface HeapDefault {
  /** V8's flag name, with dashes. */
  flag: string;
  /** A number (`--flag=N`) or a switch (`--flag` / `--no-flag`). */
  value: number | boolean;
  /** Read at every collection: can be set after start-up. */
  runtime: boolean;
}

const DEFAULTS: readonly HeapDefault[] = [
  { flag: 'heap-growing-percent', value: HEAP_GROWING_PERCENT, runtime: true },
  { flag: 'max-semi-space-size', value: MAX_SEMI_SPACE_MB, runtime: false },
  { flag: 'memory-reducer', value: false, runtime: false },
];

/** The flags `serve` would add: those of `DEFAULTS` the operator did not give. */
function missing(execArgv: readonly string[], nodeOptions: string | undefined): HeapDefault[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  // V8 accepts dashes and underscores alike, and a switch turned off as --no-flag or --noflag
  const named = ({ flag, value }: HeapDefault) => new RegExp(`^--${typeof value === 'boolean' ? '(no[-_]?)?' : ''}${flag.replaceAll('-', '[-_]')}(=|$)`);
  return DEFAULTS.filter((d) => !given.some((arg) => named(d).test(arg)));
}

const asArg = ({ flag, value }: HeapDefault) => (typeof value === 'boolean' ? `--${value ? '' : 'no-'}${flag}` : `--${flag}=${value}`);

/** The V8 flags to add: none when the operator already chose them. */
export function heapDefaults(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return missing(execArgv, nodeOptions).map(asArg);
}

/**
 * Sets the defaults that can be set from inside this process (the old-generation growth);
 * returns the flags it set. For a server that cannot start itself again (run in-process).
 */
function applyHeapDefaults(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const flags = missing(execArgv, nodeOptions)
    .filter((d) => d.runtime)
    .map(asArg);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}

/** What `startWithHeapDefaults` needs of `process`. */
export interface ProcessSlice {
  execPath: string;
  execArgv: readonly string[];
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  execve?: (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => never;
}

/**
 * Called first thing by the entry point: when a default that only applies at start-up is
 * missing, replaces this process with `node <defaults> <its own flags> <script> <args>` (it does
 * not return); otherwise sets the runtime defaults and returns the flags it set.
 */
export function startWithHeapDefaults(proc: ProcessSlice): string[] {
  const absent = missing(proc.execArgv, proc.env.NODE_OPTIONS);
  if (proc.execve && absent.some((d) => !d.runtime)) {
    try {
      proc.execve(proc.execPath, [proc.execPath, ...absent.map(asArg), ...proc.execArgv, ...proc.argv.slice(1)], proc.env);
    } catch {
      // a platform without it (ERR_FEATURE_UNAVAILABLE_ON_PLATFORM): run with the runtime defaults
    }
  }
  return applyHeapDefaults(proc.execArgv, proc.env.NODE_OPTIONS);
}
