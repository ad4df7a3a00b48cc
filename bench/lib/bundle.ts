/**
 * Measured child processes run as plain `node` on compiled JavaScript instead of the .ts
 * sources, which Node would type-strip module by module as they load (work production does not
 * do). The `upstate` command itself runs from the project's own build (`compiledCli`: the same
 * `tsc -p tsconfig.build.json` output the package and the container image ship), so what the
 * checker and cluster benchmarks measure is the shipped server; benchmark workers that import
 * Upstate modules in-process run as an esbuild bundle of the worker (`bundled`), built without
 * esbuild's `keepNames`, like the shipped Lambda bundles. `--source` runs the .ts sources directly.
 *
 * Bundles go to node_modules/.cache/upstate-bench/run-<pid>/, so bare imports (better-sqlite3,
 * undici, …) resolve from the project's node_modules and `templates/default` is found by walking
 * up. The directory is the run's own: two runs at once (two worktrees sharing a node_modules, or
 * two benchmarks side by side) each bundle and delete their own files, not the other's.
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
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
        // no `keepNames`: it wraps every named closure in a `__name()` call each time the closure
        // is made, work neither the tsc build nor the Lambda bundles do
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

let compiled: Promise<string> | undefined;

/**
 * Compiles src/ once per run with the project's build settings (`tsconfig.build.json`, type
 * checking skipped: `npm test` does that) into this run's directory and resolves to the
 * `upstate` entry (`dist/cli/bin.js`). Bare imports resolve from the project's node_modules.
 */
export function compiledCli(): Promise<string> {
  compiled ??= (async () => {
    const outDir = join(BUNDLE_DIR, 'dist');
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', outDir], { cwd: ROOT });
    // inside node_modules/ Node looks for no package.json above this folder: say the files are ES modules
    writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
    // laid out like the package: dist/ beside templates/, where the default theme is looked for
    symlinkSync(join(ROOT, 'templates'), join(BUNDLE_DIR, 'templates'));
    return join(outDir, 'cli', 'bin.js');
  })();
  return compiled;
}
