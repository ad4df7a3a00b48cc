/**
 * `npm run bench [-- [checker|page|page-size|storage|lambda|cluster]... [--quick] [--source] [--profile[=dir]] [--json=file] [--key=value]]`
 *
 * Runs the selected benchmarks (all six by default) one after another — never in parallel,
 * they would measure each other — and prints, for each, the machine it ran on, a table of
 * figures and a verdict per bar. `--quick` is a smoke run at reduced scale; the full run takes
 * about 17 minutes on 2 cores. `--json` saves every raw number for docs/benchmarks.md.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Bench, BenchResult } from './lib/bench.ts';
import { machineInfo, machineLine } from './lib/machine.ts';
import { removeBundles } from './lib/bundle.ts';
import { checkerBench } from './checker/checker-bench.ts';
import { pageBench } from './page/page-bench.ts';
import { storageBench } from './storage/storage-bench.ts';
import { lambdaBench } from './lambda/lambda-bench.ts';
import { pageSizeBench } from './page-size/page-size-bench.ts';
import { clusterBench } from './cluster/cluster-bench.ts';

const BENCHES: Record<string, Bench> = {
  checker: checkerBench,
  page: pageBench,
  'page-size': pageSizeBench,
  storage: storageBench,
  lambda: lambdaBench,
  cluster: clusterBench,
};

function parseArgs(argv: string[]) {
  const names: string[] = [];
  const overrides: Record<string, string> = {};
  let quick = false;
  let profileDir: string | undefined;
  let json: string | undefined;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--full') quick = false;
    else if (arg === '--source') process.env.UPSTATE_BENCH_SOURCE = '1';
    else if (arg === '--profile') profileDir = resolve('bench-profiles');
    else if (arg.startsWith('--profile=')) profileDir = resolve(arg.slice('--profile='.length));
    else if (arg.startsWith('--json=')) json = resolve(arg.slice('--json='.length));
    else if (arg.startsWith('--') && arg.includes('=')) overrides[arg.slice(2, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else if (arg in BENCHES) names.push(arg);
    else throw new Error(`unknown argument ${arg}; expected ${Object.keys(BENCHES).join('|')}, --quick, --source, --profile[=dir], --json=file or --key=value`);
  }
  return { names: names.length ? names : Object.keys(BENCHES), quick, profileDir, json, overrides };
}

function printResult(result: BenchResult, machine: string): void {
  const rows = result.rows;
  const w1 = Math.max(6, ...rows.map((r) => r.metric.length));
  const w2 = Math.max(5, ...rows.map((r) => r.value.length));
  console.log(`\n== ${result.name} ==  (${machine})`);
  for (const r of rows) console.log(`  ${r.metric.padEnd(w1)}  ${r.value.padEnd(w2)}  ${r.note ?? ''}`.trimEnd());
  console.log('  bars:');
  for (const b of result.bars) console.log(`   ${b.met ? 'MET    ' : 'NOT MET'}  ${b.bar} — measured ${b.measured}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const line = machineLine(machine);
  console.log(`Upstate benchmarks (${args.quick ? 'quick' : 'full'}): ${args.names.join(', ')}`);
  console.log(`machine: ${line}`);
  console.log(`measured processes run ${process.env.UPSTATE_BENCH_SOURCE === '1' ? 'from the .ts sources (--source)' : 'as plain node: `upstate` from its tsc build (as shipped), workers as esbuild bundles'}`);
  if (args.profileDir) mkdirSync(args.profileDir, { recursive: true });
  const tmpDir = mkdtempSync(join(tmpdir(), 'upstate-bench-'));
  const results: BenchResult[] = [];
  const started = Date.now();
  try {
    for (const name of args.names) {
      const t = Date.now();
      const result = await BENCHES[name]({
        quick: args.quick,
        tmpDir,
        profileDir: args.profileDir,
        overrides: args.overrides,
        log: (l) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${l}`),
      });
      result.data.durationS = (Date.now() - t) / 1000;
      results.push(result);
      printResult(result, line);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
    // profiles point into the bundles (profile-top.ts maps their lines back to src/): keep them
    if (!args.profileDir) removeBundles();
  }
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s${args.profileDir ? `; CPU profiles in ${args.profileDir}` : ''}`);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ machine, mode: args.quick ? 'quick' : 'full', at: new Date().toISOString(), results }, null, 2));
    console.log(`raw figures written to ${args.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
