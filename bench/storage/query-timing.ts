/**
 * Times what the page asks of the store — the four reads of `loadStatusModel` (states, 7 days of
 * hourly rollups, 90 days of daily rollups, incidents) for every check — plus a check page's
 * `readRecentResults(50)`, over `iterations` runs after a warm-up. Medians, so a noisy neighbour
 * moves one sample, not the figure.
 * @module
 */
import type { EmbeddedStore } from '../../src/storage/store.ts';
import { modelReadWindows } from '../../src/status/build-status-model.ts';
import { summarize } from '../lib/stats.ts';

export interface QueryTiming {
  page: ReturnType<typeof summarize>;
  checkPage: ReturnType<typeof summarize>;
  hourlyRows: number;
  dailyRows: number;
}

export async function timePageQueries(store: EmbeddedStore, names: readonly string[], iterations: number): Promise<QueryTiming> {
  const page: number[] = [];
  const checkPage: number[] = [];
  let hourlyRows = 0;
  let dailyRows = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const now = Date.now();
    const windows = modelReadWindows(now);
    const t0 = performance.now();
    const [, hourly, daily] = await Promise.all([
      store.readStates(),
      store.readRollups(names, 'hour', ...windows.hour),
      store.readRollups(names, 'day', ...windows.day),
      store.listIncidents({ limit: 50 }),
    ]);
    const t1 = performance.now();
    await store.readRecentResults(names[i % names.length], { limit: 50 });
    const t2 = performance.now();
    hourlyRows = hourly.length;
    dailyRows = daily.length;
    if (i < 3) continue;
    page.push(t1 - t0);
    checkPage.push(t2 - t1);
  }
  return { page: summarize(page), checkPage: summarize(checkPage), hourlyRows, dailyRows };
}
