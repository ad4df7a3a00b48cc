/**
 * `node bench/report-md.ts results.json` — renders a `npm run bench -- --json=…`
 * file as the Markdown tables docs/benchmarks.md shows, so the doc is regenerated, not retyped.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { BenchResult } from './lib/bench.ts';
import { machineLine, type MachineInfo } from './lib/machine.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: report-md.ts <results.json>');
  process.exit(2);
}
const run = JSON.parse(readFileSync(file, 'utf8')) as { machine: MachineInfo; mode: string; at: string; results: BenchResult[] };
const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|');

console.log(`Run: \`npm run bench\` (${run.mode}), ${run.at.slice(0, 16).replace('T', ' ')} UTC — ${machineLine(run.machine)}.\n`);
for (const result of run.results) {
  const seconds = Number(result.data.durationS ?? 0);
  console.log(`#### ${result.name} (${Math.round(seconds)} s)\n`);
  console.log('| figure | value | how / context |\n|---|---|---|');
  for (const row of result.rows) console.log(`| ${cell(row.metric)} | ${cell(row.value)} | ${cell(row.note)} |`);
  console.log('\n| bar | measured | |\n|---|---|---|');
  for (const bar of result.bars) console.log(`| ${cell(bar.bar)} | ${cell(bar.measured)} | ${bar.met ? '**met**' : '**not met**'} |`);
  console.log('');
}
