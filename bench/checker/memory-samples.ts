/**
 * Summarises a server's memory samples (memory-sampler.preload.mjs; the checker benchmark's
 * `--memory-samples=FILE`): for the sample with the highest RSS, and the median over the samples
 * from `--from` seconds on, what the RSS is made of — V8's spaces (committed / used), external
 * and array buffers, and /proc/self/smaps by kind (anonymous = V8 pages + malloc arenas + thread
 * stacks; brk = malloc's main arena).
 *
 *   node bench/checker/memory-samples.ts FILE [--from=30]
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Sample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, [number, number]>;
  smapsKb: Record<string, number>;
}

const MB = 1024 * 1024;
const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string', default: '30' } } });
const path = positionals[0];
if (!path) throw new Error('usage: memory-samples.ts FILE [--from=S]');
const samples = readFileSync(path, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Sample);
if (!samples.length) throw new Error(`${path}: no samples`);
const t0 = samples[0]?.t ?? 0;
const from = Number(values.from) * 1000;
const steady = samples.filter((s) => s.t - t0 >= from);

const mb = (bytes: number) => (bytes / MB).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function rows(pick: (f: (s: Sample) => number) => number): [string, string][] {
  const first = samples[0] as Sample;
  const out: [string, string][] = [
    ['rss', mb(pick((s) => s.rss))],
    ['heapTotal / heapUsed', `${mb(pick((s) => s.heapTotal))} / ${mb(pick((s) => s.heapUsed))}`],
    ['external / arrayBuffers', `${mb(pick((s) => s.external))} / ${mb(pick((s) => s.arrayBuffers))}`],
    ['rss − heapTotal', mb(pick((s) => s.rss - s.heapTotal))],
  ];
  for (const name of Object.keys(first.spaces)) {
    out.push([`  ${name} committed / used`, `${mb(pick((s) => s.spaces[name]?.[0] ?? 0))} / ${mb(pick((s) => s.spaces[name]?.[1] ?? 0))}`]);
  }
  for (const kind of Object.keys(first.smapsKb)) out.push([`  smaps ${kind}`, mb(pick((s) => (s.smapsKb[kind] ?? 0) * 1024))]);
  return out;
}

const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
const atPeak = rows((f) => f(peak));
const med = rows((f) => median(steady.map(f)));
console.log(`${samples.length} samples over ${((samples.at(-1)?.t ?? t0) - t0) / 1000} s; peak at ${(peak.t - t0) / 1000} s; median over ${steady.length} samples from ${values.from} s (MiB)`);
console.log(`${'part'.padEnd(34)}${'at peak'.padStart(18)}${'median'.padStart(18)}`);
for (const [i, [name, value]] of atPeak.entries()) console.log(`${name.padEnd(34)}${value.padStart(18)}${(med[i]?.[1] ?? '').padStart(18)}`);
