/**
 * The machine a benchmark ran on. Every figure is printed next to this line, because on a
 * shared 2-core box the same code can measure twice as fast an hour later.
 * @module
 */
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: how busy the box already was. */
  loadAtStart: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** One line: `AMD EPYC ×2 cores, 23.5 GiB RAM, Node v20.20.2, linux-x64, load 1.20`. */
export function machineLine(m: MachineInfo): string {
  return `${m.cpu} ×${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.platform}, load avg ${m.loadAtStart} at start`;
}
