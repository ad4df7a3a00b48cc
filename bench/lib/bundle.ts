/**
 * Measured child processes run as plain `node` on an esbuild bundle of the worker and the
 * Upstate code it imports — the way `upstate serve` runs compiled JavaScript — instead of from
 * the .ts sources, which Node would type-strip module by module as they load (work production
 * does not do). `--source` runs the .ts sources directly.
 *
 * Bundles go to node_modules/.cache/upstate-bench/run-<pid>/, so bare imports (better-sqlite3,
 * undici, …) resolve from the project's node_modules and `templates/default` is found by walking
 * up. The directory is the run's own: two runs at once (two worktrees sharing a node_modules, or
 * two benchmarks side by side) each bundle and delete their own files, not the other's.
 * @module
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * This run's bundle directory. Set in the environment on first use, so a process the run starts
 * (which imports this module again) bundles into the run's directory rather than one of its own.
 */
export const BUNDLE_DIR = (process.env.UPSTATE_BENCH_BUNDLE_DIR ??= join(ROOT, 'node_modules', '.cache', 'upstate-bench', `run-${process.pid}`));

/** Deletes this run's bundles (profiles point into them: keep them while profiling). */
export function removeBundles(): void {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
}

const built = new Map<string, Promise<string>>();

/** Bundles `entry` once per run; resolves to the .mjs path. */
export function bundled(entry: URL): Promise<string> {
  const source = fileURLToPath(entry);
  let out = built.get(source);
  if (!out) {
    out = (async () => {
      mkdirSync(BUNDLE_DIR, { recursive: true });
      const outfile = join(BUNDLE_DIR, basename(source).replace(/\.ts$/, '.mjs'));
      await build({
        entryPoints: [source],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        // the oldest Node Upstate supports (package.json engines); the output is byte-identical to node20's and node24's today
        target: 'node22',
        packages: 'external',
        keepNames: true,
        // the `// src/…` comments esbuild writes per module let profile-top.ts attribute lines
        minify: false,
        logLevel: 'error',
      });
      return outfile;
    })();
    built.set(source, out);
  }
  return out;
}
