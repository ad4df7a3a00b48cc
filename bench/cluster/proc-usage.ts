/**
 * CPU and memory of other processes, read from /proc (Linux): the cluster benchmark measures
 * Upstate instances it spawned and a PostgreSQL server with its backends, none of which can
 * report their own usage over IPC.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's CPU fields (`getconf CLK_TCK`, 100 on every usual kernel). */
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

interface StatFields {
  ppid: number;
  /** user + system CPU of the process itself, s. */
  cpuS: number;
  /** user + system CPU of its reaped children, s (backends that ended during the window). */
  childrenCpuS: number;
}

/** Fields of /proc/<pid>/stat, or undefined when the process is gone. */
function stat(pid: number): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name may contain spaces and parentheses: fields start after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = clockTicks();
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17
  return {
    ppid: Number(fields[1]),
    cpuS: (Number(fields[11]) + Number(fields[12])) / tick,
    childrenCpuS: (Number(fields[13]) + Number(fields[14])) / tick,
  };
}

/** CPU-seconds a process has used so far (user + system), 0 when it is gone. */
export function processCpuS(pid: number): number {
  return stat(pid)?.cpuS ?? 0;
}

/** Resident set size of a process, bytes (0 when it is gone). */
export function processRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * CPU-seconds of a process tree one level deep: the process, its live children and its reaped
 * children — for PostgreSQL the postmaster, its backends and auxiliary processes (checkpointer,
 * WAL writer, autovacuum), and backends that exited already.
 */
export function treeCpuS(pid: number): { cpuS: number; processes: number } {
  const root = stat(pid);
  if (!root) return { cpuS: 0, processes: 0 };
  let cpuS = root.cpuS + root.childrenCpuS;
  let processes = 1;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(Number(entry));
    if (child?.ppid !== pid) continue;
    cpuS += child.cpuS;
    processes++;
  }
  return { cpuS, processes };
}
