/**
 * Child process for heap-defaults.test.ts: applies the serve entry's heap defaults (unless
 * started with its own `--heap-growing-percent`), then holds a steady live set while
 * replacing short-lived objects, as a server holding checks and results does, and prints the
 * peak `heapTotal` and RSS it saw as one JSON line.
 */
import { applyHeapDefaults } from '../../src/cli/heap-defaults.ts';

const applied = applyHeapDefaults(process.execArgv, process.env.NODE_OPTIONS);
const live = Array.from({ length: 300_000 }, (_, i) => ({ name: `check-${i}`, interval: i, regions: [i, i + 1], state: { at: i } }));
// each replaced object lives 15 rounds: long enough to reach the old generation and die there
const ring: unknown[] = new Array(300_000);
let peakHeapTotal = 0;
let peakRss = 0;
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 20_000; i++) ring[(round * 20_000 + i) % ring.length] = { at: round, text: `r${round}-${i}`, timings: { total: i, phases: [1, 2, 3] } };
  const usage = process.memoryUsage();
  peakHeapTotal = Math.max(peakHeapTotal, usage.heapTotal);
  peakRss = Math.max(peakRss, usage.rss);
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${JSON.stringify({ applied, live: live.length, peakHeapTotal, peakRss })}\n`);
