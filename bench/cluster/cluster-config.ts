/**
 * The config file the cluster benchmark gives every instance (and the embedded comparison):
 * N plain HTTP GETs at one interval against the local target, as YAML through the real loader —
 * the instances are the real CLI, so they read a real file.
 * @module
 */
import { writeFileSync } from 'node:fs';

/** Name of check `i`; the ledger recomputes phases from these names. */
export function checkName(i: number): string {
  return `check-${i}`;
}

/**
 * Writes the config to `file`: `checks` checks every `intervalS` seconds, target on 127.0.0.1:`port`,
 * at most `concurrency` runs in flight per process (`scheduler.concurrency`, default 200).
 */
export function writeClusterConfig(file: string, checks: number, intervalS: number, port: number, concurrency: number): void {
  const lines = [
    'page: { title: Cluster bench }',
    `scheduler: { concurrency: ${concurrency} }`,
    `defaults: { interval: ${intervalS}s, timeout: 10s }`,
    'checks:',
  ];
  for (let i = 0; i < checks; i++) lines.push(`  - { name: ${checkName(i)}, http: { url: "http://127.0.0.1:${port}/c/${i}" } }`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}
