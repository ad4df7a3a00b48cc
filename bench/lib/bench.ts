/**
 * The shape every benchmark returns, so `run.ts` can print one table per benchmark, one verdict
 * per bar, and save everything as JSON for docs/benchmarks.md.
 * @module
 */
import { join } from 'node:path';

export interface BenchOptions {
  quick: boolean;
  /** Scratch directory for databases; removed by the runner. */
  tmpDir: string;
  /** When set, measured child processes write V8 CPU profiles here (`--cpu-prof`). */
  profileDir?: string;
  /** `--key=value` overrides from the command line (e.g. `--checks=20000`). */
  overrides: Record<string, string>;
  log(line: string): void;
}

export interface Row {
  metric: string;
  value: string;
  note?: string;
}

export interface Bar {
  bar: string;
  measured: string;
  met: boolean;
}

export interface BenchResult {
  name: string;
  rows: Row[];
  bars: Bar[];
  /** Raw numbers, for the JSON file. */
  data: Record<string, unknown>;
}

export type Bench = (options: BenchOptions) => Promise<BenchResult>;

/** Numeric override `--name=value`, else the fallback. */
export function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const raw = options.overrides[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${raw}`);
  return value;
}

/**
 * execArgv that makes a child write CPU profiles into `<profileDir>/<label>/`, when profiling.
 * A folder, not a file name: each thread of the child writes its own profile (a loader or worker
 * thread, when there is one), and the largest file in the folder is the main thread's.
 */
export function profileArgs(options: BenchOptions, label: string): string[] {
  return options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, label)}`] : [];
}
