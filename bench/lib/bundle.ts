/**
 * Measured child processes run as plain `node` on an esbuild bundle of the worker and the
 * Upstate code it imports — the way `upstate serve` runs compiled JavaScript — instead of from
 * the .ts sources, which Node would type-strip module by module as they load (work production
 * does not do). `--source` runs the .ts sources directly.
 *
 * Bundles go to node_modules/.cache/upstate-bench/, so bare imports (better-sqlite3, undici, …)
 * resolve from the project's node_modules and `templates/default` is found by walking up.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'upstate-bench');

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
