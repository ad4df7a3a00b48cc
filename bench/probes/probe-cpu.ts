/**
 * `node bench/probes/probe-cpu.ts [--n=300]`: CPU time per check for each probe kind against a
 * local target, next to the http probe, for docs/benchmarks.md.
 *
 * Targets run in a child process (probe-targets.ts), so only the probe's own work is counted:
 * `process.cpuUsage()` of this process, plus the CPU of child processes it waited for (the icmp
 * probe's `ping`, read from /proc/self/stat), divided by the checks run. Checks run one at a time
 * after a warm-up, so the figure is the cost of one check, not of contention.
 * @module
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Probe } from '../../src/probes/probe.ts';
import { probes } from '../../src/probes/registry.ts';

const n = Number(/--n=(\d+)/.exec(process.argv.slice(2).join(' '))?.[1] ?? 300);

interface Ready {
  type: 'ready';
  ports: Record<'http' | 'tls' | 'udp' | 'ssh' | 'smtp' | 'imap' | 'pop3' | 'ws', number>;
  ssh: { username: string; password: string; clientKey: string };
  ca: string;
}

/** CPU ms of waited-for children (utime + stime of reaped children), from /proc. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17, in clock ticks (100 Hz on Linux).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const targets = fork(new URL('./probe-targets.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ready = await new Promise<Ready>((resolve, reject) => {
  targets.once('message', (message) => resolve(message as Ready));
  targets.once('exit', (code) => reject(new Error(`targets exited with ${code}`)));
});
const { ports, ca } = ready;
const host = '127.0.0.1';

const cases: [string, string, Record<string, unknown>, number?][] = [
  ['http', 'http GET (new connection)', { url: `http://${host}:${ports.http}/` }],
  ['tcp', 'tcp connect', { host, port: ports.http }],
  ['tls', 'tls handshake + certificate', { host, port: ports.tls, ca, servername: 'localhost' }],
  ['udp', 'udp send + echo', { host, port: ports.udp, send: 'ping', expect: 'PONG' }],
  ['ssh', 'ssh identification only', { host, port: ports.ssh }],
  ['ssh', 'ssh password login', { host, port: ports.ssh, username: ready.ssh.username, password: ready.ssh.password }],
  ['ssh', 'ssh key login + command', { host, port: ports.ssh, username: ready.ssh.username, privateKey: ready.ssh.clientKey, command: 'echo ok', expectOutput: 'ok' }],
  ['starttls', 'starttls smtp', { host, port: ports.smtp, protocol: 'smtp', ca, servername: 'localhost' }],
  ['starttls', 'starttls imap', { host, port: ports.imap, protocol: 'imap', ca, servername: 'localhost' }],
  ['starttls', 'starttls pop3', { host, port: ports.pop3, protocol: 'pop3', ca, servername: 'localhost' }],
  ['websocket', 'websocket open + echo', { url: `ws://${host}:${ports.ws}/echo`, send: 'hi', expect: 'echo: hi' }],
  ['icmp', 'icmp 1 ping (spawns ping)', { host, count: 1 }, Math.max(20, Math.round(n / 5))],
];

const rows: { kind: string; label: string; checks: number; cpuMs: number; childMs: number; wallMs: number; failed: number }[] = [];
for (const [kind, label, raw, count = n] of cases) {
  const probe = (probes as Record<string, Probe<any>>)[kind];
  const config = probe.schema.parse(raw);
  const once = async () => {
    const outcome = await probe.run(config, { check: 'bench', signal: AbortSignal.timeout(5000), timeoutMs: 5000, now: Date.now, lastHeartbeat: async () => undefined });
    return outcome.ok;
  };
  for (let i = 0; i < Math.min(30, count); i++) await once(); // warm-up: JIT, TLS session caches
  const cpu0 = process.cpuUsage();
  const child0 = childrenCpuMs();
  const t0 = performance.now();
  let failed = 0;
  for (let i = 0; i < count; i++) if (!(await once())) failed++;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  rows.push({ kind, label, checks: count, cpuMs: (cpu.user + cpu.system) / 1000 / count, childMs: (childrenCpuMs() - child0) / count, wallMs: wallMs / count, failed });
}
targets.disconnect();

const httpCost = rows[0].cpuMs;
console.log(`probe CPU per check — ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}, ${n} checks per kind (icmp ${rows.at(-1)!.checks})`);
console.log('| check | CPU per check (Upstate) | + child process | vs http | wall per check | failed |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) {
  const total = row.cpuMs + row.childMs;
  console.log(`| ${row.label} | ${row.cpuMs.toFixed(2)} ms | ${row.childMs ? `${row.childMs.toFixed(2)} ms` : '–'} | ${(total / httpCost).toFixed(1)}× | ${row.wallMs.toFixed(1)} ms | ${row.failed} |`);
}
