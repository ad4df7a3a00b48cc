/**
 * Where a measured server's RSS goes, sampled from inside it: preloaded into `upstate serve` with
 * `--import` by the checker benchmark's `--memory-samples=FILE` (serve-process.ts), it appends one
 * JSON line per second to FILE with `process.memoryUsage()`, V8's heap spaces (committed and
 * used) and the process's mappings from /proc/self/smaps grouped by kind (V8 heap and code pages
 * cannot be told from malloc's arenas there, so the anonymous total is printed beside the heap's
 * committed bytes). Nothing is kept in memory between samples. Summarise the file with
 * `node bench/checker/memory-samples.ts FILE`.
 *
 * Plain JavaScript, not TypeScript: a .ts preload makes Node load its type stripper into the
 * measured server, which read 15–25 MB more RSS than the same run unsampled.
 * @module
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.UPSTATE_BENCH_MEMORY_SAMPLES;

/** Resident kB by mapping kind: the Node binary, other files (shared libraries, the native addon), [heap] (malloc's main arena), anonymous. */
/** @returns {Record<string, number>} */
function smapsByKind() {
  const out = { node: 0, files: 0, brk: 0, anon: 0, stack: 0 };
  let kind = 'anon';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      kind = name === '' ? 'anon' : name === '[heap]' ? 'brk' : name.startsWith('[stack') ? 'stack' : name.startsWith('[') ? 'stack' : name.endsWith('/node') ? 'node' : 'files';
      continue;
    }
    if (line.startsWith('Rss:')) out[kind] = (out[kind] ?? 0) + Number(line.split(/\s+/)[1]);
  }
  return out;
}

function sample() {
  if (!file) return;
  /** @type {Record<string, [number, number]>} */
  const spaces = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name.replace(/_space$/, '')] = [s.space_size, s.space_used_size];
  const line = { t: Date.now(), ...process.memoryUsage(), spaces, smapsKb: smapsByKind() };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

if (file) setInterval(sample, 1000).unref();
