/**
 * The measured side of bench/probes/probe-cpu-drivers.ts: runs one probe kind's checks one after another
 * against targets the parent started, and reports its own CPU per check. Chromium runs as a child
 * of this process, so its CPU is read from /proc/self/stat (children's time, counted once they
 * exit) and added for the browser kind.
 * @module
 */
import { readFileSync } from 'node:fs';
import { probes } from '../../src/probes/registry.ts';
import type { ProbeContext } from '../../src/probes/probe.ts';

interface Job {
  kind: keyof typeof probes;
  config: unknown;
  warmup: number;
  n: number;
  timeoutMs: number;
}

/** User + system CPU of exited, reaped children (Chromium), in ms. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // after "pid (comm) ": field 3 is state; cutime and cstime are fields 16 and 17 (1-based) → indexes 13, 14
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ = 100 on Linux
}

const job = JSON.parse(process.argv[2]) as Job;
const probe = probes[job.kind] as (typeof probes)['http'];
const config = probe.schema.parse(job.config);
const context = (): ProbeContext => ({ check: 'bench', signal: AbortSignal.timeout(job.timeoutMs), timeoutMs: job.timeoutMs, now: Date.now, lastHeartbeat: async () => undefined });
const failures: Record<string, number> = {};
async function runMany(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const outcome = await probe.run(config as never, context());
    if (!outcome.ok) failures[outcome.failure?.message ?? 'unknown'] = (failures[outcome.failure?.message ?? 'unknown'] ?? 0) + 1;
  }
}
await runMany(job.warmup);
for (const key of Object.keys(failures)) delete failures[key];
const cpuBefore = process.cpuUsage();
const childBefore = childrenCpuMs();
const wallBefore = performance.now();
await runMany(job.n);
const cpu = process.cpuUsage(cpuBefore);
const ownMs = (cpu.user + cpu.system) / 1000;
const childMs = childrenCpuMs() - childBefore;
process.stdout.write(
  `${JSON.stringify({ kind: job.kind, n: job.n, cpuMsPerCheck: ownMs / job.n, childCpuMsPerCheck: childMs / job.n, wallMsPerCheck: (performance.now() - wallBefore) / job.n, failures })}\n`,
);
