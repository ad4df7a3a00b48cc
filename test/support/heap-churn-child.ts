/**
 * Child process for heap-defaults.test.ts: starts itself with the serve entry's heap defaults as
 * the entry does (unless started with its own flags), then holds a steady live set while
 * replacing short-lived objects, as a server holding checks and results does, and prints the
 * Node flags it ran with and the peak `heapTotal`, young generation and RSS it saw as one JSON line.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { startWithHeapDefaults } from '../../src/cli/heap-defaults.ts';

const applied = startWithHeapDefaults(process);
const live = Array.from({ length: 300_000 }, (_, i) => ({ name: `check-${i}`, interval: i, regions: [i, i + 1], state: { at: i } }));
// each replaced object lives 15 rounds: long enough to reach the old generation and die there
const ring: unknown[] = new Array(300_000);
let peakHeapTotal = 0;
let peakRss = 0;
let peakNewSpace = 0;
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 20_000; i++) ring[(round * 20_000 + i) % ring.length] = { at: round, text: `r${round}-${i}`, timings: { total: i, phases: [1, 2, 3] } };
  const usage = process.memoryUsage();
  peakHeapTotal = Math.max(peakHeapTotal, usage.heapTotal);
  peakRss = Math.max(peakRss, usage.rss);
  peakNewSpace = Math.max(peakNewSpace, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0);
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${JSON.stringify({ applied, execArgv: process.execArgv, live: live.length, peakHeapTotal, peakRss, peakNewSpace })}\n`);
