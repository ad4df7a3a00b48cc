#!/usr/bin/env node
// Runs every *.test.ts under src/ (and test/) with Node's own test runner through tsx.
// Node 20's --test does not expand globs itself, so the file list is collected here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = [...collect('src'), ...collect('test')].sort();
if (filter.length) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (!files.length) { console.error('no test files matched'); process.exit(1); }
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, UPSTATE_LOG_LEVEL: process.env.UPSTATE_LOG_LEVEL ?? 'silent' },
});
process.exit(result.status ?? 1);
