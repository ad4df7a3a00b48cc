#!/usr/bin/env node
/**
 * Removes from a production node_modules what a running Upstate never reads: documentation,
 * TypeScript sources and declarations, source maps, test folders, and better-sqlite3's C sources
 * and the prebuilt binaries of other platforms. License files stay.
 *
 *   node deploy/docker/slim-node-modules.mjs [node_modules]
 *
 * Run by the container build (deploy/docker/Dockerfile) after `npm prune --omit=dev`, and by the
 * test that repeats those steps (test/deploy/docker-image.test.ts). Prints bytes before and after.
 */
import { readdirSync, rmSync, statSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const root = process.argv[2] ?? 'node_modules';
/** File names that are documentation or build input, never loaded at run time. */
const DROP_FILE = /(\.(md|markdown|map|d\.ts|d\.mts|d\.cts|ts|mts|cts|tsbuildinfo)|^(CHANGELOG|HISTORY|AUTHORS|CONTRIBUTING)(\..*)?|^\.(npmignore|eslintrc.*|prettierrc.*|editorconfig|travis\.yml))$/i;
/** Folders of tests and examples, dropped only at a package's top level (deeper, a name like
 * `doc` can be real code: yaml keeps its runtime in dist/doc/). */
const DROP_TOP_DIR = /^(test|tests|__tests__|example|examples|\.github|coverage|benchmark|benchmarks)$/i;

function size(path) {
  const info = lstatSync(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of readdirSync(path)) total += size(join(path, name));
  return total;
}

/** Walks `dir`; `packageRoot` says it is a package's own folder (where test/ and examples/ go). */
function prune(dir, packageRoot = false) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (packageRoot && DROP_TOP_DIR.test(entry.name)) rmSync(path, { recursive: true, force: true });
      else if (entry.name === 'node_modules') prune(path, false);
      else prune(path, isPackageDir(dir, entry.name));
    } else if (entry.isFile() && DROP_FILE.test(entry.name) && !/^licen[cs]e/i.test(entry.name)) {
      rmSync(path, { force: true });
    }
  }
}

/** Whether `dir/name` is a package folder: a child of node_modules, or of a @scope in it. */
function isPackageDir(dir, name) {
  const parent = basename(dir);
  if (parent === 'node_modules') return !name.startsWith('@') && !name.startsWith('.');
  return parent.startsWith('@') && basename(dirname(dir)) === 'node_modules';
}

/** better-sqlite3 ships C sources and binaries for eight platforms; keep this one's (glibc). */
function slimBetterSqlite(dir) {
  const pkg = join(dir, 'better-sqlite3');
  try {
    statSync(pkg);
  } catch {
    return;
  }
  for (const name of ['deps', 'src', 'binding.gyp']) rmSync(join(pkg, name), { recursive: true, force: true });
  const keep = `${process.platform}-${process.arch}.node`;
  for (const name of readdirSync(join(pkg, 'prebuilds'))) if (name !== keep) rmSync(join(pkg, 'prebuilds', name), { force: true });
}

const before = size(root);
slimBetterSqlite(root);
prune(root, false);
const after = size(root);
console.log(`node_modules: ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB`);
